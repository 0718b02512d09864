"""Which Chinese fonts the PDF renderer can use, asked of fontconfig itself.

WeasyPrint finds fonts through pango and fontconfig. Without a font that covers
Chinese it still writes a PDF and exits cleanly, but every CJK character is an
empty box: a silent bad output. So before printing we ask fontconfig — the same
library pango will ask — for the fonts whose language coverage includes
Simplified Chinese (``:lang=zh-cn``), and refuse when there are none.

ctypes rather than the ``fc-list`` program: libfontconfig is a hard dependency
of pango (so it is there whenever WeasyPrint can run at all), while the
``fontconfig`` command-line package is not.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
from collections.abc import Iterator
from typing import Any

__all__ = ["cjk_font_families", "cjk_font_files", "NO_CJK_FONT_HINT"]

NO_CJK_FONT_HINT = ("系统中没有可用的中文字体, 生成的 PDF 将无法显示汉字。"
                    "请安装 Noto CJK 字体 (Debian/Ubuntu: apt-get install fonts-noto-cjk), "
                    "或改用 --to html 后用浏览器打印")


class _FontSet(ctypes.Structure):
    # struct _FcFontSet { int nfont; int sfont; FcPattern **fonts; }
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int),
                ("fonts", ctypes.POINTER(ctypes.c_void_p))]


@functools.lru_cache(maxsize=1)
def _fontconfig() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    lib.FcNameParse.restype = ctypes.c_void_p
    lib.FcNameParse.argtypes = [ctypes.c_char_p]
    lib.FcObjectSetBuild.restype = ctypes.c_void_p
    lib.FcFontList.restype = ctypes.POINTER(_FontSet)
    lib.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    lib.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                       ctypes.POINTER(ctypes.c_char_p)]
    lib.FcPatternGetInteger.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                        ctypes.POINTER(ctypes.c_int)]
    for fn in ("FcFontSetDestroy", "FcObjectSetDestroy", "FcPatternDestroy", "FcConfigDestroy"):
        getattr(lib, fn).argtypes = [ctypes.c_void_p]
    return lib


def cjk_font_families() -> list[str] | None:
    """Sorted family names of the installed fonts covering Simplified Chinese;
    ``None`` when fontconfig itself cannot be loaded.

    A fresh configuration is loaded on every call (about 10 ms with the fonts
    cached) so that fonts installed while a long-running process lives, and
    ``FONTCONFIG_FILE`` set by a caller, are seen."""
    lib = _fontconfig()
    if lib is None:
        return None
    families: set[str] = set()
    with _chinese_fonts(lib, b"family") as fonts:
        for font in fonts:
            value = ctypes.c_char_p()
            if lib.FcPatternGetString(font, b"family", 0, ctypes.byref(value)) == 0 and value.value:
                families.add(value.value.decode("utf-8", "replace"))
    return sorted(families)


def cjk_font_files() -> list[tuple[str, str, int]]:
    """``(family, file, face index)`` of every installed font covering Simplified
    Chinese, sorted; empty when there is none or fontconfig cannot be loaded. For the
    chart images (``render.charts``), which matplotlib draws with a font file."""
    lib = _fontconfig()
    if lib is None:
        return []
    found: set[tuple[str, str, int]] = set()
    with _chinese_fonts(lib, b"family", b"file", b"index") as fonts:
        for font in fonts:
            family, file, index = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_int(0)
            if lib.FcPatternGetString(font, b"family", 0, ctypes.byref(family)) == 0 and family.value \
                    and lib.FcPatternGetString(font, b"file", 0, ctypes.byref(file)) == 0 and file.value:
                lib.FcPatternGetInteger(font, b"index", 0, ctypes.byref(index))
                found.add((family.value.decode("utf-8", "replace"), file.value.decode("utf-8", "replace"),
                           index.value))
    return sorted(found)


@contextlib.contextmanager
def _chinese_fonts(lib: Any, *properties: bytes) -> Iterator[list[Any]]:
    """The fontconfig patterns of the installed fonts covering Simplified Chinese
    with ``properties``, from a freshly loaded configuration; freed afterwards."""
    config = lib.FcInitLoadConfigAndFonts()
    pattern = lib.FcNameParse(b":lang=zh-cn")
    objects = lib.FcObjectSetBuild(*properties, None)
    fontset = lib.FcFontList(config, pattern, objects)
    try:
        yield [fontset.contents.fonts[i] for i in range(fontset.contents.nfont)] if fontset else []
    finally:
        if fontset:
            lib.FcFontSetDestroy(fontset)
        lib.FcObjectSetDestroy(objects)
        lib.FcPatternDestroy(pattern)
        if config:
            lib.FcConfigDestroy(config)
