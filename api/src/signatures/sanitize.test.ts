import { describe, expect, it } from 'vitest'
import { escapeHtml, renderSignature, type SignatureValues } from './render.ts'
import { sanitizeSignatureHtml } from './sanitize.ts'

const values: SignatureValues = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  jobTitle: 'Engineer',
  department: 'R&D',
  phone: '+44 20 1234',
  mobile: '',
  email: 'ada@acme.example',
  photoUrl: 'https://cdn.example/ada.png',
  custom: { linkedin: 'https://linkedin.com/in/ada' },
}

describe('sanitizeSignatureHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>hi</p>', '<p>hi</p>'],
    ['<p onclick="alert(1)" onmouseover=alert(2)>hi</p>', '<p>hi</p>'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="JaVaScRiPt:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="java&#09;script:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="&#106;avascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href=" javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<a href="vbscript:msgbox(1)">x</a>', '<a>x</a>'],
    ['<a href="data:text/html,<script>alert(1)</script>">x</a>', '<a>x</a>'],
    ['<img src="data:image/png;base64,AAAA">', '<img />'],
    ['<img src="x" onerror="alert(1)">', '<img src="x" />'],
    ['<img src="//evil.example/x.png">', '<img />'],
    ['<iframe src="https://evil.example"></iframe>ok', 'ok'],
    ['<form action="https://evil.example"><input name="q"></form>ok', 'ok'],
    ['<object data="x.swf"></object><embed src="x.swf">ok', 'ok'],
    ['<svg onload="alert(1)"><circle/></svg>ok', 'ok'],
    ['<style>body{display:none}</style>ok', 'ok'],
    ['<meta http-equiv="refresh" content="0;url=https://evil.example">ok', 'ok'],
    ['<base href="https://evil.example/">ok', 'ok'],
    ['<div style="background:url(javascript:alert(1))">x</div>', '<div>x</div>'],
    ['<div style="width:expression(alert(1))">x</div>', '<div>x</div>'],
    ['<div style="position:fixed;top:0">x</div>', '<div>x</div>'],
    ['<math><mi xlink:href="javascript:alert(1)">x</mi></math>', 'x'],
    ['<p>a<!-- <script>alert(1)</script> -->b</p>', '<p>ab</p>'],
    ['<scr<script>ipt>alert(1)</script>', 'ipt&gt;alert(1)'],
  ])('cleans %s', (input, output) => {
    expect(sanitizeSignatureHtml(input)).toBe(output)
  })

  it('keeps what email signatures are made of', () => {
    const html =
      '<table cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse"><tr><td valign="top" style="padding:0 8px;color:#333333;font-family:Arial, sans-serif"><img src="https://cdn.example/logo.png" alt="Acme" width="120" height="40" /></td><td><b>{{firstName}} {{lastName}}</b><br />{{jobTitle}}<br /><a href="mailto:{{email}}">{{email}}</a> · <a href="tel:{{phone}}">{{phone}}</a> · <a href="https://acme.example" target="_blank">acme.example</a></td></tr></table>{{banner}}'
    expect(sanitizeSignatureHtml(html)).toBe(html)
  })
})

describe('renderSignature', () => {
  it('fills placeholders and puts the banner in its slot', () => {
    const html = renderSignature(
      '<p>{{firstName}} {{ lastName }}, {{jobTitle}} ({{department}})</p><a href="{{custom.linkedin}}">in</a>{{banner}}<p>{{custom.missing}}{{unknown}}</p>',
      values,
      '<img src="https://signet.test/b.png" />',
    )
    expect(html).toBe(
      '<p>Ada Lovelace, Engineer (R&amp;D)</p><a href="https://linkedin.com/in/ada">in</a><img src="https://signet.test/b.png" /><p></p>',
    )
  })

  it('appends the banner when the template has no slot', () => {
    expect(renderSignature('<p>{{firstName}}</p>', values, '<i>B</i>')).toBe('<p>Ada</p><i>B</i>')
  })

  it.each([
    ['firstName', '<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
    ['firstName', '<img src=x onerror=alert(1)>', '<p>&lt;img src=x onerror=alert(1)&gt;</p>'],
    ['firstName', '{{banner}}', '<p>{{banner}}</p>'],
    ['jobTitle', '" onmouseover="alert(1)', '<p><a title="&quot; onmouseover=&quot;alert(1)">x</a></p>'],
  ])('escapes a %s of %s', (key, value, expected) => {
    const template = key === 'jobTitle' ? '<p><a title="{{jobTitle}}">x</a></p>' : '<p>{{firstName}}</p>'
    const html = renderSignature(template, { ...values, [key]: value }, '<i>BANNER</i>')
    expect(html.replace('<i>BANNER</i>', '')).toBe(expected)
    expect(html).not.toMatch(/<script|<img|onmouseover="/)
  })

  it('drops a javascript: link smuggled in through a value', () => {
    const html = renderSignature(
      '<a href="{{custom.linkedin}}">in</a>',
      { ...values, custom: { linkedin: 'javascript:alert(1)' } },
      '',
    )
    expect(html).toBe('<a>in</a>')
  })

  it('escapes every character that could leave an attribute or form a tag', () => {
    expect(escapeHtml(`<>&"'\`{}=`)).toBe('&#60;&#62;&#38;&#34;&#39;&#96;&#123;&#125;&#61;')
  })
})
