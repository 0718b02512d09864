"""How tests/data/seed_layout.txt was made: the seed's expert reading rendered to a
three-page PDF (WeasyPrint, merged cells centred, per-group 指标N numbering as in the
seed), then `pdftotext -layout seed.pdf seed_layout.txt` (poppler-utils).

Run from the repository root with weasyprint installed; not part of the test run.
"""
import json
from weasyprint import HTML
g = json.load(open('tests/data/seed.gold.json'))
rows = []
for f in g['functions']:
    inds = f['indicators']
    # spans
    n = len(inds)
    num = 0
    for i, ind in enumerate(inds):
        tds = ''
        if i == 0:
            tds += f'<td rowspan="{n}">{f["label"]}: {f["description"] or ""}</td>'
        l1span = sum(1 for j in inds[i:] if j['level1']==ind['level1'])
        if i == 0 or inds[i-1]['level1'] != ind['level1']:
            c = 0
            for j in inds[i:]:
                if j['level1'] != ind['level1']: break
                c += 1
            tds += f'<td rowspan="{c}">{ind["level1"]}</td>'
        if i == 0 or inds[i-1]['level2'] != ind['level2']:
            c = 0
            for j in inds[i:]:
                if j['level2'] != ind['level2']: break
                c += 1
            tds += f'<td rowspan="{c}">{ind["level2"]}</td>'
        num = 1 if i == 0 or inds[i-1]['level2'] != ind['level2'] else num + 1
        tds += f'<td>指标{num}:</td><td>{ind["name"]}</td><td>{ind["target"]["text"]}</td>'
        rows.append(f'<tr>{tds}</tr>')
html = f'''<html><head><style>@page {{ size: A4 landscape; margin: 1.5cm; @bottom-center {{ content: "第 " counter(page) " 页 共 " counter(pages) " 页"; }} }}
body {{ font-family: "Noto Sans CJK SC"; font-size: 10pt; }} table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 1px solid #000; padding: 2px; vertical-align: middle; }}
td:nth-child(1) {{ width: 18%; }}</style></head><body><h2>{g["title"]}</h2>
<table><tr><td>部门(单位)名称</td><td>{g["unit"]}</td><td>主管部门</td><td>{g["supervisor"]}</td></tr></table>
<table><thead><tr><th>核心职能</th><th>一级指标</th><th>二级指标</th><th colspan="2">三级指标</th><th>指标值</th></tr></thead><tbody>{"".join(rows)}</tbody></table></body></html>'''
HTML(string=html).write_pdf('seed.pdf')
