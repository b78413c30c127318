"""Organisations around the school (issue 20, docs/organisations.md): partners, their
contacts, services and agreements."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .units import Campus, Provider, WellbeingCounty


class Organisation(models.Model):
    """A body the provider works with: the wellbeing county, a municipality, a partner.

    Kept in one provider's register (`provider`), which edits it; its contacts, services,
    agreements and the campuses it works at are communal information, never about students.
    """

    class Kind(models.TextChoices):
        COUNTY = "county", _("wellbeing county")
        COUNTY_UNIT = "county_unit", _("unit of the wellbeing county")
        MUNICIPALITY = "municipality", _("municipality")
        YOUTH_WORK = "youth_work", _("youth work")
        NGO = "ngo", _("non-governmental organisation")
        PARISH = "parish", _("parish")
        OTHER = "other", _("other partner")

    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="organisations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    wellbeing_county = models.ForeignKey(
        WellbeingCounty,
        verbose_name=_("wellbeing county"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        help_text=_("For the county and its units: which wellbeing county this is."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    campuses = models.ManyToManyField(
        Campus,
        verbose_name=_("campuses it works at"),
        blank=True,
        related_name="organisations",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="organisation_organisation_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationContact(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role or title"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class OrganisationService(models.Model):
    """A service an organisation offers; a public one is shown to the students and
    guardians of the campuses the organisation works at, with its service hours."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="services",
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("for whom"), max_length=200, blank=True, help_text=_("For example: students under 29.")
    )
    hours = models.CharField(
        _("service hours"),
        max_length=300,
        blank=True,
        help_text=_("For example: Tuesdays 12–15 in the communal space."),
    )
    public = models.BooleanField(
        _("shown to students and guardians"),
        default=True,
        help_text=_("Shown with its service hours on the campuses the organisation works at."),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class OrganisationAgreement(models.Model):
    """A cooperation agreement between the organisation and a provider: period and scope."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    scope = models.TextField(_("scope"))

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__lte=models.F("ends_on")),
                name="organisation_agreement_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.provider}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The agreement must not end before it starts.")})
        if (
            self.organisation_id
            and self.provider_id
            and self.organisation.provider_id != self.provider_id
        ):
            raise ValidationError(
                {
                    "provider": _(
                        "The agreement is made with the provider that keeps the organisation."
                    )
                }
            )

    def in_force(self, on: date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)
