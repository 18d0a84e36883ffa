"""Decision letters."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from core.api import FieldsBuiltOnce

from ..models import DecisionLetter, LetterKind, LetterStatus


class LetterSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """A decision letter. One component for every place a letter appears, so its enums keep
    one name in the schema."""

    kind = serializers.ChoiceField(choices=LetterKind.choices, read_only=True)
    status = serializers.ChoiceField(
        choices=LetterStatus.choices,
        read_only=True,
        help_text=gettext_lazy("`pending`: being prepared; `ready`: downloadable; `failed`."),
    )
    download_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("Where the PDF is downloaded; null until the letter is ready.")
    )

    class Meta:
        model = DecisionLetter
        fields = (
            "id",
            "kind",
            "status",
            "language",
            "policy",
            "request",
            "limit",
            "created_at",
            "rendered_at",
            "download_url",
        )
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download_url(self, letter: DecisionLetter) -> str | None:
        if letter.status != LetterStatus.READY:
            return None
        return reverse(
            "api-letter-download", kwargs={"pk": letter.pk}, request=self.context.get("request")
        )
