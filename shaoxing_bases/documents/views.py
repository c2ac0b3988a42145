"""/verify/: anyone may check whether a document is a genuine one the portal issued (no login)."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from shaoxing_bases.client_ip import client_ip_address
from shaoxing_bases.permissions import public
from shaoxing_bases.ratelimit import within_limit

from .forms import VerifyCodeForm, VerifyPdfForm
from .signing import document_verify_code, document_verify_pdf

RATE_WINDOW_SECONDS = 3600
RATE_LIMITED = "核验次数过多，请1小时后再试。如有疑问，请直接联系发文机关。"


@public
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """Two forms on one page: upload the PDF (``mode=pdf``) or type number and 校验码 (``mode=code``).

    Each POST counts against the client address's hourly limit (the codes are not guessable at that
    rate, and a PDF check costs a signature validation). Bad input re-renders with the reason.
    """
    pdf_form, code_form = VerifyPdfForm(prefix="pdf"), VerifyCodeForm(prefix="code")
    result, status, limited = None, 200, False
    mode = request.POST.get("mode") if request.method == "POST" else None
    if request.method == "POST":
        if not within_limit(
            f"verify:{client_ip_address(request)}", settings.DOCUMENT_VERIFY_LIMIT_PER_IP, RATE_WINDOW_SECONDS
        ):
            limited, status = True, 429
        elif mode == "pdf":
            pdf_form = VerifyPdfForm(request.POST, request.FILES, prefix="pdf")
            if pdf_form.is_valid():
                result = document_verify_pdf(pdf_form.cleaned_data["document"])
        else:
            mode = "code"
            code_form = VerifyCodeForm(request.POST, prefix="code")
            if code_form.is_valid():
                result = document_verify_code(
                    code_form.cleaned_data["reference"], code_form.cleaned_data["code"]
                )
    context = {
        "pdf_form": pdf_form,
        "code_form": code_form,
        "mode": mode or "pdf",
        "result": result,
        "limited": limited,
        "rate_limited_message": RATE_LIMITED,
        "max_bytes": settings.DOCUMENT_VERIFY_MAX_BYTES,
    }
    return render(request, "documents/verify.html", context, status=status)
