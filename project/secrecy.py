"""S3.6-b for the admin pages of records derived from a document (issue 16).

Accountability records, print logs, circulations, supervision items and report obligations quote
or point at a document. For a reader outside a secret document's scope, `MaskSecretTitlesMixin`
replaces its title, current or earlier, by 「(涉密文件)」 on the list, the record's page and its
history page, and the list's search does not find a record by words of that title. It costs one
query per page (the hidden titles), and only on these admins.
"""

from django.template.response import TemplateResponse


def hidden_titles(request) -> list[str]:
    cached = getattr(request, "_hidden_secret_titles", None)
    if cached is None:
        from documents.selectors import secret_titles_hidden_from

        cached = request._hidden_secret_titles = secret_titles_hidden_from(request.user)
    return cached


def mask_response(request, response):
    titles = hidden_titles(request)
    if not titles:
        return response
    from documents.selectors import mask_secret_titles

    if isinstance(response, TemplateResponse) and not response.is_rendered:
        response.render()
    if response.get("Content-Type", "").startswith("text/html") and not getattr(response, "streaming", False):
        response.content = mask_secret_titles(request.user, response.content.decode(response.charset), titles).encode(response.charset)
    return response


class MaskSecretTitlesMixin:
    """For a ModelAdmin: secret titles the reader may not see are masked on every page it renders."""

    def changelist_view(self, request, extra_context=None):
        return mask_response(request, super().changelist_view(request, extra_context))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return mask_response(request, super().change_view(request, object_id, form_url, extra_context))

    def history_view(self, request, object_id, extra_context=None):
        return mask_response(request, super().history_view(request, object_id, extra_context))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return mask_response(request, super().history_form_view(request, object_id, version_id, extra_context))

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        needle = search_term.strip().casefold()
        if not needle:
            return queryset, may_have_duplicates
        from django.db.models import Q

        text_fields = [f.name for f in self.model._meta.concrete_fields if f.get_internal_type() in ("CharField", "TextField")]
        for title in hidden_titles(request):
            if needle in title.casefold() or title.casefold() in needle:
                quoting = Q()
                for name in text_fields:
                    quoting |= Q(**{f"{name}__icontains": title})
                queryset = queryset.exclude(quoting)
                # A search by the words of a hidden title must not find the record by its source either.
                queryset = queryset.exclude(pk__in=self.records_naming_hidden_documents(request))
        return queryset, may_have_duplicates

    def records_naming_hidden_documents(self, request):
        """pks of the records that point at a document the reader may not see (none by default)."""
        return self.model._default_manager.none().values("pk")
