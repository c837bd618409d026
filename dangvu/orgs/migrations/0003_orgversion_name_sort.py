"""OrgVersion.name_sort: the stored Vietnamese sort key with numbers by value (domain.vietnamese.sort_key), filled
for the versions already recorded, so that ORDER BY gives "Thôn 2" before "Thôn 10" in the database too."""

from typing import Any

from django.db import migrations, models

from dangvu.domain.vietnamese import sort_key


def fill(apps: Any, schema_editor: Any) -> None:
    versions = apps.get_model("orgs", "OrgVersion").objects.using(schema_editor.connection.alias)
    batch = []
    for v in versions.only("id", "name").iterator(chunk_size=5000):
        v.name_sort = sort_key(v.name)
        batch.append(v)
        if len(batch) >= 5000:
            versions.bulk_update(batch, ["name_sort"])
            batch = []
    if batch:
        versions.bulk_update(batch, ["name_sort"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_ancestry_org_anc_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="orgversion",
            name="name_sort",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
