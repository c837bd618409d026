"""A "replica" connection that is the test database itself (Django's TEST MIRROR), for the router's tests.

Only the connection is added: settings.DATABASES is left alone, so for every other test there is no replica and
dangvu.dbrouting sends everything to "default". The router's tests turn the replica on with override_settings.
"""

from __future__ import annotations

import copy

from django.db import connections

if "replica" not in connections.settings:
    _replica = copy.deepcopy(connections.settings["default"])
    _replica["TEST"] = {**_replica.get("TEST", {}), "MIRROR": "default"}
    # A new dict: connections.settings is settings.DATABASES itself, which must not change for the other tests.
    connections.settings = {**connections.settings, "replica": _replica}
