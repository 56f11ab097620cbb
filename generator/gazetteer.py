"""The hand-extendable word lists behind extraction: countries, titles of office, organisations.

Loaded and checked once per build, then passed to the pure extraction functions."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pycountry

from generator.errors import InputError, Problem
from generator.model import Country
from generator.schema import list_field, text_field, unknown_keys
from generator.yamlfile import load_yaml

DATA = Path(__file__).parent / "data"
COUNTRY_FIELDS = ("name", "aliases", "demonyms", "capitals", "institutions")
KINDS = ("aliases", "demonyms", "capitals", "institutions")


@dataclass(frozen=True)
class OrganizationEntry:
    name: str
    country: str | None


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Compared by identity: one is loaded per build, and extraction caches its compiled patterns
    per gazetteer."""

    countries: dict[str, Country]
    country_forms: dict[str, tuple[str, str]]  # surface form -> (code, kind)
    not_country_forms: frozenset[str]  # 'Latin America': holds a country word, is no country
    titles: tuple[str, ...]
    roles: tuple[str, ...]
    not_names: frozenset[str]
    gendered_titles: dict[str, str]  # 'first lady' -> female, 'spokesman' -> male
    organizations: dict[str, OrganizationEntry]  # surface form -> entry
    organization_endings: tuple[str, ...]
    given_names: dict[str, str | None]  # name -> "female", "male" or None (either)
    version: str

    @cached_property
    def demonyms(self) -> dict[str, str]:
        return {form: code for form, (code, kind) in self.country_forms.items()
                if kind == "demonyms"}

    def country(self, code: str) -> Country:
        return self.countries.get(code) or Country(code, code)

    def country_code(self, text: str) -> str | None:
        """The code for a code or any name of a country; None if it is none of those."""
        text = text.strip()
        if text.upper() in self.countries:
            return text.upper()
        if text in self.country_forms:
            return self.country_forms[text][0]
        return self._folded_codes.get(text.casefold())

    @cached_property
    def _folded_codes(self) -> dict[str, str]:
        """Every form and name casefolded: built once, not on every lookup."""
        folded = {form.casefold(): code for form, (code, _) in self.country_forms.items()}
        folded.update({c.name.casefold(): code for code, c in self.countries.items()})
        return folded


def load_gazetteer(data: Path = DATA) -> Gazetteer:
    problems: list[Problem] = []
    digest = hashlib.sha256()
    docs = {}
    for name in ("countries", "not_countries", "titles", "organizations", "given_names"):
        path = data / f"{name}.yml"
        digest.update(path.read_bytes())
        doc, found = load_yaml(path)
        problems += found
        docs[name] = doc
    if any(doc is None for doc in docs.values()):
        raise InputError(problems)
    countries, forms = _countries(docs["countries"], problems)
    not_countries = list_field(docs["not_countries"], docs["not_countries"].data, ("phrases",), problems) or []
    titles = docs["titles"]
    problems += unknown_keys(titles, titles.data, ("before_name", "roles", "not_names", "female", "male"))
    organizations, endings = _organizations(docs["organizations"], countries, problems)
    given_names = _given_names(docs["given_names"], problems)
    if problems:
        raise InputError(problems)
    return Gazetteer(
        countries=countries,
        country_forms=forms,
        not_country_forms=frozenset(not_countries),
        titles=tuple(list_field(titles, titles.data.get("before_name"), ("before_name",), problems) or ()),
        roles=tuple(list_field(titles, titles.data.get("roles"), ("roles",), problems) or ()),
        not_names=frozenset(list_field(titles, titles.data.get("not_names"), ("not_names",), problems) or ()),
        gendered_titles={**{t: "female" for t in list_field(titles, titles.data.get("female"), ("female",), problems) or ()},
                         **{t: "male" for t in list_field(titles, titles.data.get("male"), ("male",), problems) or ()}},
        organizations=organizations,
        organization_endings=tuple(endings),
        given_names=given_names,
        version=digest.hexdigest()[:16],
    )


def _countries(doc, problems):
    countries: dict[str, Country] = {}
    forms: dict[str, tuple[str, str]] = {}
    for code, fields in (doc.data or {}).items():
        line = doc.line_of(code)
        if not isinstance(code, str) or (pycountry.countries.get(alpha_2=code) is None and code != "XK"):
            problems.append(Problem(doc.path, f"'{code}' is not an ISO 3166-1 alpha-2 code",
                                    "use the two-letter code, e.g. TR", line))
            continue
        if not isinstance(fields, dict):
            problems.append(Problem(doc.path, f"country {code} needs its fields",
                                    f"indent {', '.join(COUNTRY_FIELDS)} under it", line))
            continue
        problems += unknown_keys(doc, fields, COUNTRY_FIELDS, (code,))
        official = pycountry.countries.get(alpha_2=code)
        name = text_field(doc, fields.get("name"), (code, "name"), problems) or (official.name if official else code)
        countries[code] = Country(code, name)
        for kind in KINDS:
            for form in list_field(doc, fields.get(kind), (code, kind), problems) or ():
                if form in forms and forms[form][0] != code:
                    problems.append(Problem(doc.path, f"'{form}' is listed for both "
                                            f"{forms[form][0]} and {code}",
                                            "keep it under one country", doc.line_of(code, kind)))
                forms.setdefault(form, (code, kind))
        forms.setdefault(name, (code, "aliases"))
    return countries, forms


def _organizations(doc, countries, problems):
    problems += unknown_keys(doc, doc.data, ("known", "name_endings"))
    entries: dict[str, OrganizationEntry] = {}
    for name, fields in (doc.data.get("known") or {}).items():
        fields = fields or {}
        if not isinstance(fields, dict):
            problems.append(Problem(doc.path, f"organisation '{name}' needs a mapping",
                                    "write {} or {country: XX, aliases: [...]}",
                                    doc.line_of("known", name)))
            continue
        problems += unknown_keys(doc, fields, ("country", "aliases"), ("known", name))
        country = fields.get("country")
        if country is not None and country not in countries:
            problems.append(Problem(doc.path, f"organisation '{name}' has unknown country "
                                    f"'{country}'", "use a code from countries.yml",
                                    doc.line_of("known", name, "country")))
        entry = OrganizationEntry(str(name), country)
        for form in [str(name)] + (list_field(doc, fields.get("aliases"), ("known", name, "aliases"), problems) or []):
            entries[form] = entry
    endings = list_field(doc, doc.data.get("name_endings"), ("name_endings",), problems) or []
    return entries, endings


def _given_names(doc, problems) -> dict[str, str | None]:
    problems += unknown_keys(doc, doc.data or {}, ("female", "male", "either"))
    names: dict[str, str | None] = {}
    for gender in ("female", "male", "either"):
        for name in list_field(doc, (doc.data or {}).get(gender), (gender,), problems) or ():
            if name in names:
                problems.append(Problem(doc.path, f"'{name}' is listed twice", "keep it in one list",
                                        doc.line_of(gender)))
            names[name] = None if gender == "either" else gender
    return names
