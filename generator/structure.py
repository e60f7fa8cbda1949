"""One structure tree for a PDF joined from tagged parts (pypdf).

WeasyPrint tags each part (PDF/UA-1): a /StructTreeRoot whose /Document element holds the
part's headings, lists, tables, links and paragraphs in reading order, a /ParentTree that maps
each page's marked content (its /StructParents key) and each link annotation (its
/StructParent key) back to its element, and ids for table header cells that data cells name.
Joining the parts' pages alone would drop all of it. Here the parts' trees become one:

- the parts' /Document elements become one, whose children are the parts' children in order;
- each part's parent-tree keys move up by the keys of the parts before it, and so do its
  pages' /StructParents and its annotations' /StructParent;
- element ids get a prefix per part after the first (they are unique within a part only), in
  the cells' /Headers too, and are listed in one /IDTree;
- empty wrappers (the stub anchors that stand for the other parts' ids) are left out;
- header cells in a table head get /Scope /Column too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

#: Catalogue entries of a tagged PDF that the joined document takes from its first part.
DOCUMENT_ENTRIES = ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata")
#: Structure elements that hold nothing when empty: the stub anchors of the other parts.
EMPTY_WRAPPERS = ("/Div", "/Span", "/NonStruct")


def join_structure(writer: Any, readers: Sequence[Any]) -> None:
    """Give ``writer`` one structure tree from the parts in ``readers``, once the parts' pages
    are in ``writer``, in the same order."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    first = readers[0].root_object
    for key in DOCUMENT_ENTRIES:
        if key in first:  # raw: a stream (/Metadata) must stay an indirect object
            writer.root_object[NameObject(key)] = first.raw_get(key).clone(writer)
    if "/StructTreeRoot" not in first:  # untagged parts: nothing to join
        return
    document: Any = None
    nums: list[tuple[int, Any]] = []
    ids: dict[str, Any] = {}
    key_offset = page_offset = 0
    for index, reader in enumerate(readers):
        root = reader.root_object["/StructTreeRoot"].clone(writer).get_object()
        part_document = _only(root["/K"]).get_object()
        kids = [kid for kid in part_document["/K"] if not _empty(kid)]
        for kid in kids:
            _rename_ids(kid.get_object(), f"p{index}-" if index else "", ids)
        if document is None:
            document = part_document
            document[NameObject("/K")] = ArrayObject(kids)
        else:
            for kid in kids:
                kid.get_object()[NameObject("/P")] = document.indirect_reference
                document["/K"].append(kid)
        part_nums = _number_tree(root["/ParentTree"].get_object())
        nums += [(key + key_offset, value) for key, value in part_nums]
        for element in _elements(part_nums):  # margin boxes' elements sit outside the tree
            if element.get("/P") == part_document.indirect_reference:
                element[NameObject("/P")] = document.indirect_reference
        pages = [writer.pages[page_offset + i] for i in range(len(reader.pages))]
        _shift_keys(pages, [reader.pages[i] for i in range(len(reader.pages))], key_offset)
        key_offset += max((key for key, _ in part_nums), default=-1) + 1
        page_offset += len(reader.pages)
    tree_root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    tree_root[NameObject("/K")] = ArrayObject([document.indirect_reference])
    flat_nums = ArrayObject([x for key, value in nums for x in (NumberObject(key), value)])
    tree_root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): flat_nums}))
    tree_root[NameObject("/ParentTreeNextKey")] = NumberObject(key_offset)
    if ids:
        names = ArrayObject([x for name in sorted(ids) for x in (TextStringObject(name), ids[name])])
        tree_root[NameObject("/IDTree")] = writer._add_object(DictionaryObject({NameObject("/Names"): names}))
    reference = writer._add_object(tree_root)
    document[NameObject("/P")] = reference
    writer.root_object[NameObject("/StructTreeRoot")] = reference


def _only(kids: Any) -> Any:
    """The one /Document element under a part's root (WeasyPrint writes exactly one)."""
    from pypdf.generic import ArrayObject

    if isinstance(kids, ArrayObject):
        if len(kids) != 1:
            raise RuntimeError(f"a part's structure tree has {len(kids)} top elements, not 1")
        return kids[0]
    return kids


def _shift_keys(pages: Sequence[Any], originals: Sequence[Any], offset: int) -> None:
    """Move a part's pages' /StructParents (pypdf drops them when it copies a page) and its
    annotations' /StructParent up by ``offset``."""
    from pypdf.generic import NameObject, NumberObject

    for page, original in zip(pages, originals, strict=True):
        if "/StructParents" in original:
            page[NameObject("/StructParents")] = NumberObject(int(original["/StructParents"]) + offset)
        for annotation in page.get("/Annots") or []:
            annot = annotation.get_object()
            if "/StructParent" in annot:
                annot[NameObject("/StructParent")] = NumberObject(int(annot["/StructParent"]) + offset)


def _elements(nums: Sequence[tuple[int, Any]]) -> Iterator[Any]:
    """The elements a parent tree points to: a list per page, one per annotation."""
    from pypdf.generic import ArrayObject

    for _, value in nums:
        resolved = value.get_object()
        for element in resolved if isinstance(resolved, ArrayObject) else [resolved]:
            yield element.get_object()


def _number_tree(node: Any) -> list[tuple[int, Any]]:
    """The (key, value) pairs of a PDF number tree, in order."""
    pairs: list[tuple[int, Any]] = []
    if "/Nums" in node:
        flat = list(node["/Nums"])
        pairs += [(int(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]
    for kid in node.get("/Kids", []):
        pairs += _number_tree(kid.get_object())
    return pairs


def _children(element: Any) -> list[Any]:
    from pypdf.generic import ArrayObject

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, ArrayObject) else [kids]


def _empty(kid: Any) -> bool:
    """A wrapper element with no content anywhere below it."""
    from pypdf.generic import DictionaryObject

    element = kid.get_object()
    if not isinstance(element, DictionaryObject) or element.get("/S") not in EMPTY_WRAPPERS:
        return False
    return all(_empty(child) for child in _children(element))


def _in_head(cell: Any) -> bool:
    row = cell.get("/P")
    return row is not None and row.get_object().get("/P", {}).get("/S") == "/THead"


def _rename_ids(element: Any, prefix: str, ids: dict[str, Any]) -> None:
    """Give every element id below ``element`` the part's prefix, in the cells' /Headers too,
    and collect them for the /IDTree. Header cells of a table head get /Scope /Column besides
    WeasyPrint's ids (checkers look for either)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    stack = [element]
    while stack:
        node = stack.pop()
        if not isinstance(node, DictionaryObject):
            continue
        if "/ID" in node:
            name = prefix + str(node["/ID"])
            node[NameObject("/ID")] = TextStringObject(name)
            ids[name] = node.indirect_reference
        attributes = node.get("/A")
        if node.get("/S") == "/TH" and isinstance(attributes, DictionaryObject) and _in_head(node):
            attributes[NameObject("/Scope")] = NameObject("/Column")
        if prefix and isinstance(attributes, DictionaryObject) and "/Headers" in attributes:
            named: Any = attributes["/Headers"]
            headers = [TextStringObject(prefix + str(h)) for h in named]
            attributes[NameObject("/Headers")] = ArrayObject(headers)
        stack += [child.get_object() for child in _children(node)]
