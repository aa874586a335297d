"""Every participant-facing string has a Spanish translation, and the compiled catalog is
up to date (docs/portal.md, "Spanish").

The msgids are collected the way `makemessages` does, without GNU gettext: templates through
Django's `templatize` (the text xgettext would read), Python modules through an AST walk of
the gettext calls. Each must have a non-empty, non-fuzzy `msgstr` in the committed
`locale/es/LC_MESSAGES/django.po`, read by the small parser below; the committed
`django.mo` must hold exactly the .po's translations (compiled after the last edit).

When this fails it prints the missing msgids and where they are. To fix:

    make messages            # re-extract into django.po (installs GNU gettext if needed)
    # translate the listed msgids in locale/es/LC_MESSAGES/django.po (drop "#, fuzzy")
    make messages            # again: compiles django.mo
"""

from __future__ import annotations

import ast
import gettext
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# The participant-facing files: every template and module a participant (or a signed-out
# person on the sign-in and invitation pages) reads. A directory means all its templates.
# Add a file here when it starts serving participants.
PARTICIPANT_FILES = (
    "templates/base.html",
    "trellis/navigation.py",
    "trellis/portal/templates/portal",
    "trellis/portal/cards.py",
    "trellis/portal/progress.py",
    "trellis/portal/offline.py",
    "trellis/scheduling/templates/scheduling/me.html",
    "trellis/scheduling/templates/scheduling/_notice_forms.html",
    "trellis/scheduling/personal.py",
    "trellis/scheduling/actions/notices.py",
    "trellis/measures/templates/measures/checkin.html",
    "trellis/measures/templates/measures/checkin_closed.html",
    "trellis/measures/templates/measures/checkin_done.html",
    "trellis/measures/templates/measures/my_checkins.html",
    "trellis/measures/views.py",
    "trellis/practice/templates/practice/_crisis.html",
    "trellis/practice/templates/practice/assignments/me.html",
    "trellis/practice/templates/practice/assignments/my_assignment.html",
    "trellis/practice/templates/practice/diary/me.html",
    "trellis/practice/templates/practice/diary/saved.html",
    "trellis/practice/templates/practice/safety/mine.html",
    "trellis/plans/templates/plans/mine.html",
    "trellis/notes/templates/notes/group_mine.html",
    "trellis/notes/templates/notes/group_mine_entry.html",
    "trellis/transitions/templates/transitions/mine.html",
    "trellis/transitions/templates/transitions/my_track.html",
    "trellis/transitions/changes/mine.py",
    "trellis/transitions/changes/forms.py",
    "trellis/transitions/changes/requests.py",
    "trellis/messaging/templates/messaging/me",
    "trellis/messaging/templates/messaging/_messages.html",
    "trellis/messaging/templates/messaging/_notice.html",
    "trellis/messaging/templates/messaging/_reply_form.html",
    "trellis/messaging/views.py",
    "trellis/messaging/actions.py",
    "trellis/peers/templates/peers/me",
    "trellis/peers/views.py",
    "trellis/peers/actions.py",
    "trellis/peers/models.py",
    "trellis/participants/templates/participants/invitation_accept.html",
    "trellis/participants/templates/participants/invitation_closed.html",
    "trellis/participants/templates/participants/invitation_signed_in.html",
    "trellis/participants/templates/participants/_invitation_crisis.html",
    "trellis/participants/invitations.py",
    "trellis/participants/actions/invitations.py",
    "trellis/participants/forms.py",
    "trellis/participants/templates/participants/guardian_invitation_accept.html",
    "trellis/participants/guardian_views.py",
    "trellis/participants/guardianship.py",
    "trellis/participants/actions/guardians.py",
    "trellis/portal/family.py",
    "trellis/portal/family_messages.py",
    "trellis/accounts/templates/accounts/sign_in.html",
    "trellis/accounts/forms.py",
    "trellis/notifications/templates/notifications",
    "trellis/notifications/texts.py",
    "trellis/notifications/views.py",
    "trellis/notifications/preferences.py",
    "trellis/notifications/actions.py",
    # The public finder (docs/finder.md): labels in English and Spanish (issue 14).
    "trellis/finder/templates/finder",
    "trellis/finder/filters.py",
    "trellis/finder/forms.py",
    "trellis/finder/views.py",
)

GETTEXT_FUNCTIONS = {
    "gettext": ("msgid",),
    "_": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "ngettext": ("msgid", "plural"),
    "ngettext_lazy": ("msgid", "plural"),
    "pgettext": ("context", "msgid"),
    "pgettext_lazy": ("context", "msgid"),
    "npgettext": ("context", "msgid", "plural"),
    "npgettext_lazy": ("context", "msgid", "plural"),
}


@dataclass(frozen=True)
class Message:
    msgid: str
    context: str = ""
    plural: str = ""

    @property
    def key(self) -> str:
        return f"{self.context}\x04{self.msgid}" if self.context else self.msgid


def participant_files() -> list[Path]:
    files: list[Path] = []
    for name in PARTICIPANT_FILES:
        path = ROOT / name
        assert path.exists(), f"{name} is declared participant-facing but does not exist"
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in {".html", ".txt"}))
        else:
            files.append(path)
    return files


def _calls(tree: ast.AST) -> Iterator[Message]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        roles = GETTEXT_FUNCTIONS.get(name)
        if roles is None or len(node.args) < len(roles):
            continue
        values: dict[str, str] = {}
        for role, arg in zip(roles, node.args, strict=False):
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                break
            values[role] = arg.value
        else:
            yield Message(**values)


def template_messages(source: str) -> Iterator[Message]:
    """The msgids of one template: Django's `templatize` writes the template as the text
    makemessages hands to xgettext, with each translatable string as a call
    (` gettext('…') `, ` ngettext('…', '…', count) `, ` pgettext('…', '…') `); each call
    is read back with `ast`."""
    text = templatize(source)
    starts = ("gettext(", "ngettext(", "pgettext(", "npgettext(")
    position = 0
    while True:
        found = [(text.find(" " + s, position), s) for s in starts]
        found = [(i, s) for i, s in found if i >= 0]
        if not found:
            return
        index, _name = min(found)
        end = text.find(")", index)
        while end >= 0:
            try:
                tree = ast.parse(text[index + 1 : end + 1].strip(), mode="eval")
            except SyntaxError:
                end = text.find(")", end + 1)
                continue
            yield from _calls(tree)
            break
        position = (end if end >= 0 else index) + 1


def python_messages(source: str) -> Iterator[Message]:
    yield from _calls(ast.parse(source))


def collected() -> dict[Message, list[str]]:
    """Every participant-facing message and the files it appears in."""
    found: dict[Message, list[str]] = {}
    for path in participant_files():
        source = path.read_text(encoding="utf-8")
        messages = python_messages(source) if path.suffix == ".py" else template_messages(source)
        for message in messages:
            found.setdefault(message, []).append(str(path.relative_to(ROOT)))
    return found


@dataclass
class Entry:
    context: str = ""
    msgid: str = ""
    plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False

    @property
    def key(self) -> str:
        return f"{self.context}\x04{self.msgid}" if self.context else self.msgid

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.msgstr) and all(self.msgstr.values())


def parse_po(text: str) -> dict[str, Entry]:
    """The entries of a .po file by key (context + EOT + msgid), blocks separated by blank
    lines; the header (empty msgid) and obsolete (`#~`) entries left out."""
    entries: dict[str, Entry] = {}
    for block in text.split("\n\n"):
        entry = Entry()
        name, index = "", 0
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,"):
                entry.fuzzy = entry.fuzzy or "fuzzy" in line
                continue
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                value = ast.literal_eval(line)
            else:
                keyword, _, rest = line.partition(" ")
                value = ast.literal_eval(rest)
                index = 0
                if keyword.startswith("msgstr["):
                    name, index = "msgstr", int(keyword[7:-1])
                else:
                    name = {"msgctxt": "context", "msgid_plural": "plural"}.get(keyword, keyword)
                if name == "msgstr":
                    entry.msgstr.setdefault(index, "")
                elif name not in {"context", "msgid", "plural"}:
                    raise AssertionError(f"django.po: cannot read {raw!r}")
            if name == "msgstr":
                entry.msgstr[index] += value
            else:
                setattr(entry, name, getattr(entry, name) + value)
        if entry.msgid:
            entries[entry.key] = entry
    return entries


def test_every_participant_string_has_a_spanish_translation() -> None:
    catalog = parse_po(PO.read_text(encoding="utf-8"))
    found = collected()
    assert len(found) > 100, "the collector found too few msgids: is it broken?"
    missing = [
        (message, files)
        for message, files in sorted(found.items(), key=lambda m: (m[1][0], m[0].msgid))
        if not (entry := catalog.get(message.key)) or not entry.translated
    ]
    report = "\n".join(
        f"  {files[0]}: {message.msgid!r}"
        + (f" (context {message.context!r})" if message.context else "")
        + (
            " [fuzzy]"
            if (e := catalog.get(message.key)) and e.fuzzy
            else (" [empty]" if e else " [not in django.po]")
        )
        for message, files in missing
    )
    assert not missing, (
        f"{len(missing)} participant-facing msgid(s) without a Spanish translation:\n{report}\n"
        "Run `make messages`, translate them in locale/es/LC_MESSAGES/django.po (remove "
        "'#, fuzzy'), then `make messages` again to compile django.mo (docs/portal.md, "
        "'Spanish')."
    )


def test_the_compiled_catalog_matches_the_po_file() -> None:
    """django.mo holds exactly the translated entries of django.po: a .po edited without
    compiling (or a .mo compiled from an older .po) fails here."""
    entries = parse_po(PO.read_text(encoding="utf-8"))
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    mo: dict[object, str] = {
        k: v
        for k, v in compiled._catalog.items()  # type: ignore[attr-defined]
        if k != ""
    }
    po: dict[object, str] = {}
    for entry in entries.values():
        if not entry.translated:
            continue
        if entry.plural:
            for index, text in entry.msgstr.items():
                po[(entry.key, index)] = text
        else:
            po[entry.key] = entry.msgstr[0]
    stale = sorted(str(k) for k in set(po) ^ set(mo))
    stale += sorted(str(k) for k in set(po) & set(mo) if po[k] != mo[k])
    assert not stale, (
        "django.mo is out of date with django.po; run `make messages` (or "
        "`manage.py compilemessages -l es`). Differences:\n  " + "\n  ".join(stale[:30])
    )


def test_the_collector_reads_templates_and_python() -> None:
    template = (
        '{% load i18n %}{% translate "One" %}<p>{% blocktranslate trimmed with n=x %}Two '
        "{{ n }}{% endblocktranslate %}</p>{% blocktranslate count c=k %}a {{ c }}"
        '{% plural %}b {{ c }}{% endblocktranslate %}{% translate "Three" context "menu" %}'
    )
    assert list(template_messages(template)) == [
        Message("One"),
        Message("Two %(n)s"),
        Message("a %(c)s", plural="b %(c)s"),
        Message("Three", context="menu"),
    ]
    code = 'from x import gettext as _\n_("Four"); ngettext("a", "b", 2); pgettext("c", "d")'
    assert list(python_messages(code)) == [
        Message("Four"),
        Message("a", plural="b"),
        Message("d", context="c"),
    ]
