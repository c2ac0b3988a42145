from django.http import Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_record
from shaoxing_bases.notifications.models import Notification
from shaoxing_bases.permissions import HiddenObject, permission_required, public

from . import measures
from .dashboard import panels_for
from .help import GUIDES, guide_template
from .home import home_sections_for


@public
@require_GET
def home(request):
    """Public home: the sections the apps register (the open batches with 立即申报), the Measures
    as a download, the guides per role and the bureau's contact; later the public notices (公示)
    and the approved bases."""
    context = {
        "sections": home_sections_for(request.user),
        "guides": GUIDES.items(),
        "measures_pdf": measures.PDF_PATH,
    }
    return render(request, "core/home.html", context)


@public
@require_GET
def measures_page(request):
    """政策文件: the Measures' text as a web page, with the PDF to download."""
    context = {"pdf_path": measures.PDF_PATH, "doc_number": measures.DOC_NUMBER}
    return render(request, "core/measures/page.html", context)


@public
@require_GET
def help_index(request):
    """操作指南: the list of guides, one per role."""
    return render(request, "core/help/index.html", {"guides": GUIDES.items()})


@public
@require_GET
def help_page(request, audience: str):
    """One role's guide; an unknown audience answers 404."""
    if audience not in GUIDES:
        raise Http404("没有这份操作指南")
    heading, summary = GUIDES[audience]
    context = {"audience": audience, "heading": heading, "summary": summary, "guides": GUIDES.items()}
    return render(request, guide_template(audience), context)


@require_GET
@permission_required("core.view_dashboard")
def dashboard(request):
    """工作台: the panels each area registered for this user (`core.dashboard`), and recent messages."""
    context = {
        "panels": panels_for(request.user),
        "recent_notifications": Notification.objects.filter(recipient=request.user)[:5],
    }
    return render(request, "core/dashboard.html", context)


@public
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; point them at the emblem. Resolved per
    request because the hashed static name exists only after collectstatic, and temporary (302)
    because that name changes with every release: a cached 301 would point at a vanished file."""
    return redirect(static("img/favicon.svg"))


def permission_denied(request, exception=None):
    """403 in Chinese, and an audit entry: who tried to open what, from where."""
    audit_record(
        action=AuditAction.PERMISSION_DENIED,
        outcome=AuditOutcome.DENIED,
        request=request,
        actor=getattr(request, "user", None),
    )
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    """404 in Chinese; a lookup outside the user's scope (`HiddenObject`) is audited as a denial."""
    if isinstance(exception, HiddenObject):
        audit_record(
            action=AuditAction.PERMISSION_DENIED,
            outcome=AuditOutcome.DENIED,
            request=request,
            actor=getattr(request, "user", None),
            object_repr=exception.object_repr,
            detail=exception.detail,
        )
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "errors/500.html", status=500)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)
