from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "shaoxing_bases.documents"
    label = "documents"
    verbose_name = "公文"
