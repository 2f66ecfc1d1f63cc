from django.core.exceptions import ValidationError

from staffing.spreadsheet import max_upload_bytes


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0") + " MB"


def validate_attachment_size(file) -> None:
    """Attachments are capped like every upload (settings.IMPORT_MAX_UPLOAD_MB)."""
    limit = max_upload_bytes()
    if file.size > limit:
        raise ValidationError(f"文件「{file.name}」大小为 {_size(file.size)},超过上限 {_size(limit)}。", code="too_large")
