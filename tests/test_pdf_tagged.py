"""Both PDFs are tagged PDF/UA-1 with a whole structure tree: read back with pypdf, element by
element, with the text of each element from the page content."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, Destination, DictionaryObject

from traitbook._internal.handbook.pdf import HandbookPdf
from traitbook._internal.handbook.printhtml import appendices, chapters
from traitbook._internal.plan import Plan


@dataclass(frozen=True)
class Element:
    role: str  # /H2, /Table, …
    page: int  # 0-based
    text: str
    node: Any = field(repr=False)


class Structure:
    """A tagged PDF's structure tree, read back in reading order."""

    def __init__(self, data: bytes) -> None:
        self.reader = PdfReader(io.BytesIO(data))
        self.root: Any = self.reader.root_object
        tree: Any = self.root["/StructTreeRoot"]
        self.tree: Any = tree
        self.pages = {page.indirect_reference.idnum: i for i, page in enumerate(self.reader.pages)}  # type: ignore[union-attr]
        self._content: dict[int, dict[int, str]] = {}
        self.elements = list(self._walk(tree["/K"][0], 0))

    def content(self, page: int) -> dict[int, str]:
        """Marked-content id → its text, on one page (from the BDC/EMC operators)."""
        if page not in self._content:
            current: list[int | None] = [None]
            texts: dict[int, list[str]] = {}

            def before(op: bytes, args: Any, *_: Any) -> None:
                if op == b"BDC":
                    properties = args[1] if len(args) > 1 else None
                    current[0] = int(properties["/MCID"]) if isinstance(properties, dict) else None
                elif op == b"EMC":
                    current[0] = None

            def text(value: str, *_: Any) -> None:
                if value and current[0] is not None:
                    texts.setdefault(current[0], []).append(value)

            self.reader.pages[page].extract_text(visitor_operand_before=before, visitor_text=text)
            self._content[page] = {mcid: "".join(parts) for mcid, parts in texts.items()}
        return self._content[page]

    def text(self, node: Any, page: int) -> str:
        if isinstance(node, DictionaryObject):
            page = self.page_of(node, page)
            return "".join(self.text(kid.get_object(), page) for kid in kids(node))
        if isinstance(node, int):
            return self.content(page).get(int(node), "")
        return ""

    def page_of(self, node: Any, default: int) -> int:
        return self.pages[node.raw_get("/Pg").idnum] if "/Pg" in node else default

    def _walk(self, reference: Any, page: int) -> Iterator[Element]:
        node = reference.get_object()
        if not isinstance(node, DictionaryObject) or "/S" not in node:
            return
        page = self.page_of(node, page)
        yield Element(str(node["/S"]), page, " ".join(self.text(node, page).split()), node)
        for kid in kids(node):
            yield from self._walk(kid, page)

    def roles(self, *roles: str) -> list[Element]:
        return [e for e in self.elements if e.role in roles]


def kids(node: Any) -> list[Any]:
    value = node.get("/K")
    if value is None:
        return []
    return list(value) if isinstance(value, ArrayObject) else [value]


@pytest.fixture(scope="module")
def handbook(real_handbook: HandbookPdf) -> HandbookPdf:
    return real_handbook


@pytest.fixture(scope="module")
def worksheet(real_worksheet: HandbookPdf) -> HandbookPdf:
    return real_worksheet


@pytest.fixture(scope="module", params=["handbook", "worksheet"])
def both(request: pytest.FixtureRequest) -> HandbookPdf:
    result: HandbookPdf = request.getfixturevalue(request.param)
    return result


def headings(real_plan: Plan, worksheet: bool) -> list[str]:
    """Every page-level heading of the handbook, in reading order."""
    how = "workbook" if worksheet else "handbook"
    return [
        "Contents",
        f"How to use this {how}",
        *(c.trait.title for c in chapters(real_plan)),
        *(f"Appendix {a.letter} {a.title}" for a in appendices(worksheet, bool(real_plan.paths))),
    ]


def test_both_pdfs_are_tagged_pdf_ua_1_with_title_and_language(both: HandbookPdf, real_plan: Plan) -> None:
    reader = PdfReader(io.BytesIO(both.data))
    root: Any = reader.root_object
    assert bool(root["/MarkInfo"]["/Marked"]) and bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert str(root["/Lang"]) == "en"
    assert reader.metadata is not None and reader.metadata.title == real_plan.catalogue.site.title
    xmp = root["/Metadata"].get_data()
    assert b'pdfuaid:part="1"' in xmp  # PDF/UA-1, in the XMP metadata
    assert reader.pdf_header == "%PDF-1.7"
    assert root.raw_get("/Metadata").idnum  # a stream must be an indirect object (QPDF refuses the file otherwise)


def test_every_heading_is_in_the_tree_in_reading_order_on_its_page(
    both: HandbookPdf, real_plan: Plan, request: pytest.FixtureRequest
) -> None:
    worksheet = both.data == request.getfixturevalue("worksheet").data
    tree = Structure(both.data)
    (title,) = tree.roles("/H1")
    assert (title.text, title.page) == (real_plan.catalogue.site.title, 0)
    page_headings = tree.roles("/H2")
    assert [h.text for h in page_headings] == headings(real_plan, worksheet)
    marks = [o for o in tree.reader.outline if isinstance(o, Destination)]
    outline = {str(o.title): tree.reader.get_destination_page_number(o) for o in marks}
    for heading in page_headings:
        assert outline[heading.text] == heading.page, heading.text
    # Headings nest in order: every h3/h4 comes after its chapter's h2, on a page of that chapter.
    pages = [h.page for h in tree.roles("/H1", "/H2", "/H3", "/H4")]
    assert pages == sorted(pages)


def test_every_table_has_header_cells_that_its_data_cells_name(both: HandbookPdf, real_plan: Plan) -> None:
    tree = Structure(both.data)
    tables = tree.roles("/Table")
    starts = [h.page for h in tree.roles("/H2")]
    chapter_pages = starts[2 : 2 + len(chapters(real_plan)) + 1]  # and the first appendix's
    # Each chapter's framework references: a table with its header row, in the chapter's pages
    # (beside any table the chapter's own text has, such as the notification clocks).
    for start, end in itertools.pairwise(chapter_pages):
        own = [t for t in tables if start <= t.page < end]
        assert any(t.text.startswith("Framework Item What it covers") for t in own), start
    assert any(t.text.startswith("Trait NICE ECSF SFIA 9") for t in tables)  # the crosswalk
    ids: Any = tree.tree["/IDTree"]["/Names"]
    known = {str(ids[i]) for i in range(0, len(ids), 2)}
    cells = 0
    for table in tables:
        rows = [e for e in table_cells(table.node)]
        heads = [c for c in rows if c["/S"] == "/TH"]
        data = [c for c in rows if c["/S"] == "/TD"]
        assert heads and data
        assert all(c["/A"]["/Scope"] == "/Column" and str(c["/ID"]) in known for c in heads)
        for cell in data:
            named = [str(h) for h in cell["/A"]["/Headers"]]
            assert named and set(named) <= {str(c["/ID"]) for c in heads}
            cells += 1
    assert cells > 100
    assert len(known) == len(set(known))


def table_cells(node: Any) -> Iterator[Any]:
    for kid in kids(node):
        child: Any = kid.get_object()
        if isinstance(child, DictionaryObject) and "/S" in child:
            if str(child["/S"]) in ("/TH", "/TD"):
                yield child
            else:
                yield from table_cells(child)


def test_lists_and_links_are_tagged(both: HandbookPdf) -> None:
    tree = Structure(both.data)
    lists = tree.roles("/L")
    assert len(lists) > 50
    assert all(any(kid.get_object().get("/S") == "/LI" for kid in kids(e.node)) for e in lists)
    # Every link annotation is the content of an element in a /Link, found through the parent
    # tree (WeasyPrint gives each inline box of a link its own annotation, in its own element).
    nums: Any = tree.tree["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    links = 0
    for page in tree.reader.pages:
        for reference in page.get("/Annots") or []:
            annotation: Any = reference.get_object()
            element = parents[int(annotation["/StructParent"])].get_object()
            ancestor = element
            while ancestor["/S"] != "/Link":
                ancestor = ancestor["/P"]
                assert ancestor.get("/Type") != "/StructTreeRoot", annotation
            assert any(
                isinstance(k.get_object(), DictionaryObject) and k.get_object().raw_get("/Obj") == reference
                for k in kids(element)
            )
            assert str(annotation["/Contents"])  # an alternative description
            links += 1
    assert links > 100


def test_every_marked_content_on_every_page_belongs_to_an_element(both: HandbookPdf) -> None:
    # The structure is whole: each page's /StructParents key leads to one
    # element per marked-content id, and the keys of pages and annotations are all distinct.
    tree = Structure(both.data)
    nums: Any = tree.tree["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert sorted(parents) == list(range(len(parents))) and int(tree.tree["/ParentTreeNextKey"]) == len(parents)
    keys = []
    for index, page in enumerate(tree.reader.pages):
        key = int(page["/StructParents"])  # type: ignore[call-overload]
        keys.append(key)
        mapped: Any = parents[key].get_object()
        marked = tree.content(index)
        assert set(marked) <= set(range(len(mapped))), index
        for mcid in marked:
            element = mapped[mcid].get_object()
            assert element["/Pg"] == page or element.get("/S") == "/Link", (index, mcid)
        keys += [int(a.get_object()["/StructParent"]) for a in page.get("/Annots") or []]
    assert len(keys) == len(set(keys)) == len(parents)
    # Every element in the tree hangs from its parent: /P leads back up to the root.
    for element in tree.elements[:400]:
        node = element.node
        while node.get("/Type") != "/StructTreeRoot":
            node = node["/P"]
        assert node == tree.tree


def test_an_independent_pdf_ua_checker_finds_nothing(both: HandbookPdf, tmp_path: Path) -> None:
    """pdfua (PyPI): 12 machine checks of PDF/UA-1 and WCAG, read through QPDF, not pypdf."""
    target = tmp_path / "checked.pdf"
    target.write_bytes(both.data)
    result = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", str(target)], capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "result: PASS" in result.stdout
