"""``manage.py demo_certificates``: a demo CA and one signing certificate per bureau, if missing."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shaoxing_bases.documents.certificates import BUREAUS, create_certificates


class Command(BaseCommand):
    help = (
        "为尚无签名证书的机关生成演示证书（演示根证书签发，标注“演示 DEMO”，不具法律效力），"
        "写入 settings.DOCUMENT_SIGNERS 指定的位置（默认 var/certs/）。已有的证书不会被改动。"
        "生产环境拒绝使用演示证书。"
    )

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError("此环境不允许演示证书（DEMO_DATA_ALLOWED 为假）：请安装各机关的正式证书。")
        try:
            created = create_certificates(
                settings.DOCUMENT_SIGNERS, demo_passphrase=settings.DOCUMENT_DEMO_PASSPHRASE
            )
        except OSError as error:
            raise CommandError(f"无法写入证书目录：{error}") from error
        for key in created:
            self.stdout.write(f"已生成演示证书 {key}：{BUREAUS.get(key, key)}")
        if not created:
            self.stdout.write("各机关的签名证书均已存在，未作改动。")
