from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "commissioning.exercises"
    label = "exercises"
