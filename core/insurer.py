"""Who the insurer is: the one place pages, PDFs and emails take its name, address, registration
number, contact details and logo from. A deployment sets them in the environment (see
config/settings/base.py, `INSURER_*`); read at each use, so a changed setting shows at once."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Insurer:
    name: str
    address: str
    registration: str
    email: str
    phone: str
    website: str
    place: str
    # A static file name (e.g. "img/insurer-logo.svg"), or "" for no logo.
    logo: str

    @property
    def address_lines(self) -> list[str]:
        """The address as lines; the setting separates them with newlines or semicolons."""
        text = self.address.replace(";", "\n")
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def address_one_line(self) -> str:
        return ", ".join(self.address_lines)

    @property
    def contact(self) -> str:
        """Email and phone, as one line."""
        return " · ".join(part for part in (self.email, self.phone, self.website) if part)


def insurer() -> Insurer:
    return Insurer(
        name=settings.INSURER_NAME,
        address=settings.INSURER_ADDRESS,
        registration=settings.INSURER_REGISTRATION,
        email=settings.INSURER_EMAIL,
        phone=settings.INSURER_PHONE,
        website=settings.INSURER_WEBSITE,
        place=settings.INSURER_PLACE,
        logo=settings.INSURER_LOGO_STATIC,
    )
