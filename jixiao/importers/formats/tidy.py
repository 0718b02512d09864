"""Text tidied before any table is looked for: what a document site, a converter or
the printer put into the text that is not part of the form.

``tidy(text)`` returns the text, line for line (line numbers stay those of the
source), and the diagnostics saying what was changed:

- **Traditional characters** (a form published in 繁體, or run through a converter)
  become simplified with OpenCC's ``t2s`` tables (the ``opencc-purepy`` package,
  loaded only when a line needs it). A line is converted when it holds a CJK
  character outside GB 2312 (the simplified repertoire) that the converter changes;
  lines in simplified text are left alone, so 显著 or 乾隆 in a simplified form
  never become 显着 / 干隆. The original lines are kept in the diagnostic.
- **Pinyin glosses** some converters put after characters (``學(xué)``): a bracket
  holding one toned syllable right after a CJK character is dropped.
- **Page furniture**: page numbers on a line of their own (``— 1 —``, ``-1-``,
  ``第 1 页 共 3 页``, ``Page 2 of 3``, ``2/3``) and a document site's page list
  (``…目标_第1页``) become a form feed, the page break they stand for (the layout
  reader starts a new page there; the other readers see a blank line).
- **Site boilerplate** around the table (download-site notices, a portal's
  accessibility links, 已阅读5页 / 下载本文档 / 版权说明 …) becomes an empty line.

Pure text in, text out; no table knowledge beyond the few words above.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...model.sheet import Diagnostic

# --- traditional -> simplified -----------------------------------------------------------
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _converter():
    from opencc_purepy import OpenCC  # 0.15 s to load: only for documents that need it

    return OpenCC("t2s").convert


_REF = re.compile(rb"&#(\d+);")


def _any_outside_gb2312(text: str) -> bool:
    """A CJK character GB 2312 lacks anywhere in the text: one pass of the codec (in
    C), the characters it lacks written as ``&#N;`` and only those looked at (≧ and
    the like are no CJK)."""
    encoded = text.encode("gb2312", "xmlcharrefreplace")
    if b"&#" not in encoded:
        return False
    for m in _REF.finditer(encoded):
        c = int(m[1])
        if 0x3400 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF:
            return True
    return False


def _outside_gb2312(line: str) -> bool:
    """A CJK character the simplified repertoire lacks (traditional, or rare)."""
    try:
        line.encode("gb2312")
        return False
    except UnicodeEncodeError:
        pass
    for ch in _CJK.findall(line):
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return True
    return False


def to_simplified(lines: list[str]) -> tuple[list[str], dict[int, str]]:
    """The lines with traditional ones converted, and {line index: original}."""
    originals: dict[int, str] = {}
    out = lines
    if not _any_outside_gb2312("\n".join(lines)):
        return out, originals  # every character is in the simplified repertoire
    for i, line in enumerate(lines):
        if line.isascii() or not _outside_gb2312(line):
            continue
        converted = _converter()(line)
        if converted != line:
            if out is lines:
                out = list(lines)
            out[i] = converted
            originals[i] = line
    return out, originals


# --- pinyin glosses ----------------------------------------------------------------------
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_TONE_MARK = re.compile(f"[{_TONED}]")
_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff])[(（]\s*([a-zü]*[{_TONED}][a-zü{_TONED}]*)\s*[)）]")


def drop_glosses(line: str) -> tuple[str, int]:
    """``學(xué)校`` -> ``學校``: a toned pinyin syllable in brackets after a character."""
    if "(" not in line and "（" not in line:
        return line, 0
    return _GLOSS.subn("", line)


# --- page furniture ----------------------------------------------------------------------
_EDGE = " \t\u3000|"
_S = r"[ \t\u3000]"  # a blank that is no line break: the patterns run over the whole text
PAGE_NUMBER = re.compile(
    rf"(?:第{_S}*\d+{_S}*页{_S}*(?:[,，/]?{_S}*共{_S}*\d+{_S}*页)?|共{_S}*\d+{_S}*页{_S}*[,，]?{_S}*第{_S}*\d+{_S}*页"
    rf"|[—\-–－]+{_S}*\d+{_S}*[—\-–－]+|\d+{_S}*/{_S}*\d+|[Pp]age{_S}*\d+(?:{_S}*(?:of|/){_S}*\d+)?)")
# a document site lists the pages it shows: 2019年预算项目绩效目标_第1页
_PAGE_LIST = re.compile(rf"[^\n\t]{{2,60}}_第{_S}*\d+{_S}*页")
_SITE = re.compile(
    rf"(?:(?:资源ID|资源大小|资源格式|下载积分|文档页数|文档格式|上传时间|上传者|浏览次数|下载次数){_S}*[:：]"
    rf"|(?:友情提示|下载本文档|付费下载|文档简介|免费下载|立即下载|举报|收藏|长者模式|无障碍(?:浏览|阅读)?|关怀版"
    rf"|打印本页|关闭窗口|打印{_S}*关闭){_S}*$"
    rf"|已阅读{_S}*\d+{_S}*页|还剩{_S}*\d+{_S}*页未读|继续免费阅读|点击(?:下载|阅读|查看)|版权说明{_S}*[:：]"
    rf"|(?:\d+{_S}*[、.]{_S}*)?(?:本站|本网站|本文档由|PDF文件下载后|试题试卷类文档)"
    rf"|分享到|【?{_S}*字体{_S}*[:：]?{_S}*[【\[]?{_S}*大{_S}*[】\]]?{_S}*[【\[]?{_S}*中|上一篇{_S}*[:：]"
    rf"|下一篇{_S}*[:：]|扫一扫|手机扫码|微信扫一扫)")
_FURNITURE = re.compile(
    rf"^[ \u3000|]*(?:(?P<page>(?:{PAGE_NUMBER.pattern}|{_PAGE_LIST.pattern})[ \u3000|]*$)"
    rf"|(?P<site>(?:{_SITE.pattern})[^\n\t]{{0,80}}$))", re.M)


def furniture(line: str) -> str | None:
    """'page' for a page number or a site's page list on a line of its own, 'site' for
    site boilerplate, None for anything else."""
    m = _FURNITURE.match(line.strip(" \t\u3000"))
    return None if m is None or len(line) > 90 or "\n" in line else m.lastgroup


def _furniture_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line index, 'page' | 'site') of every furniture line: short, without tabs."""
    out = []
    match = _FURNITURE.match
    for i, line in enumerate(lines):
        if len(line) <= 90 and "\t" not in line and (m := match(line.strip(" \t\u3000"))) is not None:
            out.append((i, m.lastgroup or ""))
    return out


# --- repeated headings -------------------------------------------------------------------
# A column-heading line: 三级指标 (or 指标名称) with at least two more heading words. The
# readers skip it where it repeats (the layout reader takes the new page's columns from
# it), so it is only reported here.
_HEADING = re.compile(r"三\s*级\s*指\s*标|指\s*标\s*名\s*称")
_HEADING_WORD = re.compile(r"一级指标|二级指标|三级指标|指标名称|指标值|目标值|度量单位|计量单位|指标性质|权重|分值|完成值")


def _heading_lines(text: str, lines: list[str]) -> list[int]:
    if text.count("三级指标") + text.count("指标名称") < 2 and "级 指" not in text and "标 名" not in text:
        return []  # a heading repeated needs two
    out: list[int] = []
    line, at = 0, 0
    for m in _HEADING.finditer(text):
        line += text.count("\n", at, m.start())
        at = m.start()
        if (not out or out[-1] != line) and len(_HEADING_WORD.findall(lines[line])) >= 3:
            out.append(line)
    return out


# --- the whole text ----------------------------------------------------------------------
def tidy(text: str) -> tuple[str, list[Diagnostic]]:
    """The text without what is not the form's, and what was done (diagnostics)."""
    raw = text.split("\n")
    lines = raw
    diagnostics: list[Diagnostic] = []
    lines, originals = to_simplified(lines)
    if lines is raw:
        lines = list(raw)
    glosses = 0
    pages: list[int] = []
    site: list[int] = []
    samples: list[str] = []
    for i, kind in _furniture_lines(lines):
        (pages if kind == "page" else site).append(i)
        lines[i] = "\f" if kind == "page" else ""
    if _TONE_MARK.search(text) and _GLOSS.search(text):
        for i, line in enumerate(lines):
            line, n = drop_glosses(line)
            if n:
                glosses += n
                if len(samples) < 3:
                    samples.append(originals.get(i, raw[i])[:40])
                lines[i] = line
    heads = _heading_lines("\n".join(lines) if originals else text, lines)
    if len(heads) > 1:
        diagnostics.append(Diagnostic(
            "IMPORT_HEADING_REPEATED", "info", f"line:{heads[1] + 1}",
            f"表头行在表中重复出现 {len(heads) - 1} 次 (如第{heads[1] + 1}行, 多为换页重印), 重复的表头不作为指标读取",
            "如重复的表头后面其实是另一张表, 请把两张表分开导入", {"lines": [i + 1 for i in heads[1:]]}))
    if originals:
        first = min(originals)
        diagnostics.append(Diagnostic(
            "IMPORT_TRADITIONAL_CONVERTED", "info", f"line:{first + 1}",
            f"原文有 {len(originals)} 行为繁体字, 已转换为简体 (如第{first + 1}行“{originals[first][:30]}”)",
            "原文见本条诊断的 extra.original; 名称如需保留繁体, 请在导入后改回",
            {"original": {str(i + 1): s for i, s in sorted(originals.items())[:500]}}))
    if glosses:
        diagnostics.append(Diagnostic(
            "IMPORT_GLOSS_DROPPED", "info", "text",
            f"原文在字后夹有 {glosses} 处拼音注音 (如“{samples[0]}”), 已删去",
            "这是转换工具加的注音, 不是表格内容", {"count": glosses}))
    if pages:
        diagnostics.append(Diagnostic(
            "IMPORT_PAGE_FURNITURE_DROPPED", "info", f"line:{pages[0] + 1}",
            f"{len(pages)} 行页码或页面列表 (如第{pages[0] + 1}行“{raw[pages[0]].strip()[:30]}”)"
            "不是表格内容, 已略去", "如某行其实是表格内容, 请检查原文", {"lines": [i + 1 for i in pages]}))
    if site:
        diagnostics.append(Diagnostic(
            "IMPORT_SITE_TEXT_DROPPED", "info", f"line:{site[0] + 1}",
            f"{len(site)} 行网站提示文字 (如第{site[0] + 1}行“{raw[site[0]].strip()[:30]}”)"
            "不是表格内容, 已略去", "如某行其实是表头字段或指标, 请检查原文", {"lines": [i + 1 for i in site]}))
    return ("\n".join(lines) if diagnostics else text), diagnostics
