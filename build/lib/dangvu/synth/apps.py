from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "dangvu.synth"
    label = "synth"
