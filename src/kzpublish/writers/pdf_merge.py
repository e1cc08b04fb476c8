"""The PDFs of a book typeset in parts, joined into the book's one PDF: the only module
that imports pikepdf.

``pdf_parts`` lays a long book out as several WeasyPrint documents at once (one a core);
each is a complete PDF/UA file, and this module makes them one as WeasyPrint would have
written the whole: the pages in order (a blank page where a part must open on a
right-hand page), one structure tree (each part's elements under the first part's
``Document`` element, its parent-tree keys and the pages' and annotations' keys moved past
the earlier parts'), one outline, one table of named destinations, and the links between
parts made internal. The first part's catalog and document information stay: its
language, metadata, ``MarkInfo`` and viewer preferences are the book's.

Why a library: the parts share nothing (each has its own font subsets, resources and
object numbers), so joining them means copying object graphs between files with their
references renumbered — what pikepdf (qpdf) does, fast, in C++. A link to another part
can only leave WeasyPrint as a URI (it drops an internal link whose anchor is not in its
document), so ``pdf_parts`` writes those as ``LINK_SCHEME`` URIs and they become internal
destinations here. pikepdf was the tests' PDF reader already; it is a runtime dependency
now (a wheel with qpdf inside). Joining 974 pages takes about 2.5 s of CPU. The file is
saved with generated object streams (WeasyPrint's own are compressed: without them the
joined PDF was three times the parts' size, with them 7 % more — each part has its own
font subsets) and an ``/ID`` made from its content, so a rebuild is byte-identical.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator, Sequence
from io import BytesIO

import pikepdf

LINK_SCHEME = "kzpart:"
"""The href a link to an anchor of the book is given in a part: ``kzpart:ID``."""


def merge(parts: Sequence[bytes], starts: Sequence[int]) -> bytes:
    """One PDF of ``parts``, in order, part ``i`` opening at the 0-based page ``starts[i]``
    (blank pages fill the gaps)."""
    documents = [pikepdf.open(BytesIO(part)) for part in parts]
    try:
        book = documents[0]
        joined = _Joined(book)
        for document, start in zip(documents[1:], starts[1:], strict=True):
            while len(book.pages) < start:
                joined.blank()
            joined.add(document)
        joined.finish()
        out = BytesIO()
        book.save(out, deterministic_id=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()
    finally:
        for document in documents:
            document.close()


class _Joined:
    """The book's structure tree, outline and destinations as the parts are added."""

    def __init__(self, book: pikepdf.Pdf):
        self.book = book
        tree = book.Root.StructTreeRoot
        self.document = tree.K[0]  # WeasyPrint's one Document element
        self.nums = tree.ParentTree.Nums
        self.next_key = _next_key(self.nums)
        self.names = list(_pairs(book.Root.Names.Dests.Names)) if _has_dests(book) else []
        self._internal(book.pages)

    def add(self, part: pikepdf.Pdf) -> None:
        """Append ``part``'s pages, structure, outline and destinations to the book's."""
        first = len(self.book.pages)
        with warnings.catch_warnings():  # named destinations: joined by this class
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            self.book.pages.extend(part.pages)
        pages = self.book.pages[first:]
        self._structure(part, pages)
        if _has_dests(part):
            self.names += _pairs(self._copied(part, part.Root.Names.Dests).Names)
        if "/Outlines" in part.Root:
            self._outline(self._copied(part, part.Root.Outlines))
        self._internal(pages)

    def blank(self) -> None:
        """An empty page the size of the last one, as WeasyPrint makes a blank page: no
        content, tagged as a page with no marked content (an empty parent-tree entry)."""
        last = self.book.pages[-1].obj
        page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=last.MediaBox,
                                  Resources=pikepdf.Dictionary(),
                                  Contents=self.book.make_stream(b""),
                                  Tabs=pikepdf.Name.S, StructParents=self.next_key)
        for box in ("/TrimBox", "/BleedBox"):
            if box in last:
                page[box] = last[box]
        self.nums.append(self.next_key)
        self.nums.append(pikepdf.Array())
        self.next_key += 1
        self.book.pages.append(pikepdf.Page(page))

    def _copied(self, part: pikepdf.Pdf, thing: pikepdf.Object) -> pikepdf.Object:
        """``thing`` of ``part`` copied into the book; references to the part's pages
        lead to their copies (qpdf keeps one copy of each object per source file)."""
        if not thing.is_indirect:
            thing = part.make_indirect(thing)
        return self.book.copy_foreign(thing)

    def finish(self) -> None:
        """Write the joined table of named destinations (a name tree: sorted by name)."""
        if not self.names:
            return
        flat = pikepdf.Array()
        for name, destination in sorted(self.names, key=lambda pair: pair[0]):
            flat.append(pikepdf.String(name))
            flat.append(destination)
        if "/Names" not in self.book.Root:
            self.book.Root.Names = pikepdf.Dictionary()
        self.book.Root.Names.Dests = self.book.make_indirect(pikepdf.Dictionary(Names=flat))

    def _structure(self, part: pikepdf.Pdf, pages: Sequence[pikepdf.Page]) -> None:
        """The part's structure elements under the book's Document element; its
        parent-tree keys (pages' /StructParents, annotations' /StructParent) moved up.
        (WeasyPrint uses the standard structure types only: there is no /RoleMap.)"""
        tree = self._copied(part, part.Root.StructTreeRoot)
        for kid in tree.K[0].K:
            kid.P = self.document
            self.document.K.append(kid)
        shift = self.next_key
        nums = tree.ParentTree.Nums
        for index in range(0, len(nums), 2):
            self.nums.append(int(nums[index]) + shift)
            self.nums.append(nums[index + 1])
        self.next_key = _next_key(self.nums)
        for page in pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + shift
            for annotation in page.obj.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + shift

    def _outline(self, outline: pikepdf.Object) -> None:
        """The part's top-level bookmarks after the book's."""
        if "/First" not in outline:
            return
        if "/Outlines" not in self.book.Root:
            self.book.Root.Outlines = self.book.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.Outlines, Count=0))
        root = self.book.Root.Outlines
        for item in _chain(outline.First):
            item.Parent = root
        if "/Last" in root:
            root.Last.Next = outline.First
            outline.First.Prev = root.Last
        else:
            root.First = outline.First
        root.Last = outline.Last
        root.Count = int(root.get("/Count", 0)) + int(outline.get("/Count", 0))

    @staticmethod
    def _internal(pages: Iterable[pikepdf.Page]) -> None:
        """Links to ``LINK_SCHEME`` URIs made links to the book's named destinations,
        as WeasyPrint writes an internal link (``/Dest`` and ``/Contents`` the name)."""
        for page in pages:
            for annotation in page.obj.get("/Annots", ()):
                action = annotation.get("/A")
                uri = str(action.get("/URI", "")) if action is not None else ""
                if uri.startswith(LINK_SCHEME):
                    name = pikepdf.String(uri[len(LINK_SCHEME):])
                    del annotation.A
                    annotation.Dest = name
                    if "/Contents" in annotation:
                        annotation.Contents = name


def _has_dests(pdf: pikepdf.Pdf) -> bool:
    return "/Names" in pdf.Root and "/Dests" in pdf.Root.Names


def _pairs(flat: pikepdf.Object) -> Iterator[tuple[str, pikepdf.Object]]:
    for index in range(0, len(flat), 2):
        yield str(flat[index]), flat[index + 1]


def _next_key(nums: pikepdf.Object) -> int:
    return max((int(nums[index]) for index in range(0, len(nums), 2)), default=-1) + 1


def _chain(first: pikepdf.Object) -> Iterator[pikepdf.Object]:
    item: pikepdf.Object | None = first
    while item is not None:
        yield item
        item = item.get("/Next")
