import { describe, expect, it } from 'vitest'
import { csvCell, csvRow } from './csv.ts'

describe('csvCell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+49301234567', "'+49301234567"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
  ])('neutralises %j as a formula a spreadsheet would run', (value, cell) => {
    expect(csvCell(value)).toBe(cell)
  })

  it('quotes delimiters, quotes and line breaks, and writes empty cells for null', () => {
    expect(csvRow(['a,b', 'say "hi"', 'x;y', 'l1\nl2', null, undefined, ['p', 'q'], 3])).toBe(
      '"a,b","say ""hi""","x;y","l1\nl2",,,"p, q",3\r\n',
    )
  })
})
