"""Django admin of the applications app.

Units can be imported and exported as Excel (credit code as the import id). Batches are shown
read-only: they are created, changed and moved on only through the portal's batch services, which
hold the deadline rules and audit every change.
Applications and their evidence are read-only: what a unit handed in is changed by nobody but the
unit, through the portal's forms, while the application is editable.
"""

from django import forms
from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm

from .models import (
    ApplicantUnit,
    Application,
    Attachment,
    Batch,
    PartnerEnterprise,
    Specialty,
    TrainingFundYear,
)
from .resources import ApplicantUnitResource
from .spreadsheets import PortalXLSX, SpreadsheetLimits, SpreadsheetRejected, check_upload


class ReadOnlyAdminMixin:
    """View-only pages: no add, change or delete, whatever the admin's permissions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BoundedImportForm(ImportForm):
    """import-export's upload form, refusing a workbook by size, unpacked size and declared
    dimensions before anything reads its rows (the uploaded file is on disk, not yet read).

    The unit import stays within `spreadsheets.SpreadsheetLimits`: what passes here is then read
    streaming by `PortalXLSX.create_dataset`, which stops at the row, column and cell limits, so a
    hostile workbook costs neither memory nor a 500.
    """

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limits = SpreadsheetLimits.from_settings()
        try:
            # The size the upload handler counted: a huge file is refused without being read.
            if upload.size > limits.max_bytes:
                raise SpreadsheetRejected(
                    f"文件过大，导入文件不能超过 {limits.max_bytes // (1024 * 1024)} MB，请拆分后分批导入。"
                )
            upload.seek(0)
            check_upload(upload.read(), limits=limits)
        except SpreadsheetRejected as error:
            raise forms.ValidationError(str(error), code="spreadsheet_rejected") from error
        finally:
            upload.seek(0)
        return upload


@admin.register(ApplicantUnit)
class ApplicantUnitAdmin(ImportExportModelAdmin):
    resource_classes = [ApplicantUnitResource]
    import_formats = [PortalXLSX]
    export_formats = [PortalXLSX]
    import_form_class = BoundedImportForm
    list_display = ("name", "credit_code", "unit_type", "region", "contact_person", "created_at")
    list_filter = ("unit_type", "region")
    search_fields = ("name", "credit_code", "contact_person")
    list_select_related = ("region",)
    readonly_fields = ("created_at",)

    def add_data_read_fail_error_to_form(self, form, e):
        # The streamed read stopped at a limit: say which, in Chinese, instead of the exception's name.
        if isinstance(e, SpreadsheetRejected):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("year", "title", "state", "opens_at", "submission_deadline", "quota")
    list_filter = ("state",)
    search_fields = ("title",)


class SpecialtyInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Specialty
    extra = 0
    fields = ("name", "equipment", "equipment_value")
    readonly_fields = fields


class PartnerEnterpriseInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PartnerEnterprise
    extra = 0
    fields = ("name", "credit_code", "cooperation", "agreement")
    readonly_fields = fields


class TrainingFundYearInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TrainingFundYear
    extra = 0
    fields = ("year", "payroll", "amount_drawn", "amount_frontline")
    readonly_fields = fields


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ("section", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("unit", "batch_year", "state", "unit_region", "submitted_at", "updated_at")
    list_filter = ("batch", "state", "unit__region", "unit__unit_type")
    search_fields = ("unit__name", "unit__credit_code")
    list_select_related = ("unit", "unit__region", "batch")
    date_hierarchy = "created_at"
    inlines = [SpecialtyInline, PartnerEnterpriseInline, TrainingFundYearInline, AttachmentInline]

    @admin.display(description="年度", ordering="batch__year")
    def batch_year(self, application: Application) -> str:
        return f"{application.batch.year}年度"

    @admin.display(description="所在区县", ordering="unit__region__sort_order")
    def unit_region(self, application: Application) -> str:
        return application.unit.region.name


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "section", "application", "content_type", "size", "uploaded_at")
    list_filter = ("section", "application__batch")
    search_fields = ("original_name", "application__unit__name", "sha256")
    list_select_related = ("application", "application__unit", "application__batch")
    exclude = ("file",)  # files are served only through the portal's permission-checked views
