from django.apps import AppConfig


class FormsBuilderConfig(AppConfig):
    name = "forms_builder"
    default_auto_field = "django.db.models.BigAutoField"
