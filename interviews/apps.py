from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "interviews"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from interviews import bank

        for model in bank.BANK_MODELS:  # an edit here is scored (and shown) at once in this process
            post_save.connect(bank.recheck, sender=model, dispatch_uid=f"bank-recheck-save-{model.__name__}")
            post_delete.connect(bank.recheck, sender=model, dispatch_uid=f"bank-recheck-delete-{model.__name__}")
