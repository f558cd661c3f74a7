import { describe, it, expect } from '@jest/globals'
import { inputLines, inputList, quoteForDisplay, splitWords, SplitError } from '../../src/words.js'

describe('splitWords', () => {
  it('splits plain words on spaces', () => {
    expect(splitWords('--help')).toEqual(['--help'])
    expect(splitWords('config show --json')).toEqual(['config', 'show', '--json'])
  })

  it('treats tabs and runs of blanks as one separator and ignores leading/trailing blanks', () => {
    expect(splitWords('  a\tb \t  c  ')).toEqual(['a', 'b', 'c'])
  })

  it('returns no words for an empty or blank line', () => {
    expect(splitWords('')).toEqual([])
    expect(splitWords(' \t ')).toEqual([])
  })

  it('keeps everything inside single quotes literally, backslashes and double quotes included', () => {
    expect(splitWords(`say 'hello world'`)).toEqual(['say', 'hello world'])
    expect(splitWords(`'a\\b "c" $HOME'`)).toEqual(['a\\b "c" $HOME'])
  })

  it('groups words in double quotes and handles the \\" \\\\ \\$ escapes', () => {
    expect(splitWords('say "hello world"')).toEqual(['say', 'hello world'])
    expect(splitWords('"a \\"quoted\\" word"')).toEqual(['a "quoted" word'])
    expect(splitWords('"back\\\\slash"')).toEqual(['back\\slash'])
    expect(splitWords('"\\$HOME"')).toEqual(['$HOME'])
    expect(splitWords('"\\`tick\\`"')).toEqual(['`tick`'])
  })

  it('keeps a backslash inside double quotes when it escapes nothing special', () => {
    expect(splitWords('"a\\nb"')).toEqual(['a\\nb'])
    expect(splitWords('"C:\\Users\\me"')).toEqual(['C:\\Users\\me'])
  })

  it('keeps single quotes literally inside double quotes and the reverse', () => {
    expect(splitWords(`"it's"`)).toEqual(["it's"])
    expect(splitWords(`'say "hi"'`)).toEqual(['say "hi"'])
  })

  it('escapes the next character with a backslash outside quotes', () => {
    expect(splitWords('a\\ b c')).toEqual(['a b', 'c'])
    expect(splitWords("it\\'s")).toEqual(["it's"])
    expect(splitWords('\\"x\\"')).toEqual(['"x"'])
    expect(splitWords('a\\\\b')).toEqual(['a\\b'])
  })

  it('joins adjacent quoted and unquoted parts into one word', () => {
    expect(splitWords(`--name="Jane Doe"'s'x`)).toEqual(['--name=Jane Doesx'])
    expect(splitWords(`a'b c'"d e"f g`)).toEqual(['ab cd ef', 'g'])
  })

  it('gives an empty argument for \'\' and ""', () => {
    expect(splitWords("''")).toEqual([''])
    expect(splitWords('""')).toEqual([''])
    expect(splitWords(`--opt '' last`)).toEqual(['--opt', '', 'last'])
    expect(splitWords(`a "" ''`)).toEqual(['a', '', ''])
  })

  it('keeps shell metacharacters as literal characters inside arguments', () => {
    expect(splitWords('--help; touch /tmp/pwned')).toEqual(['--help;', 'touch', '/tmp/pwned'])
    expect(splitWords('list | tee out')).toEqual(['list', '|', 'tee', 'out'])
    expect(splitWords('a&&b')).toEqual(['a&&b'])
    expect(splitWords('echo $(id) `id`')).toEqual(['echo', '$(id)', '`id`'])
    expect(splitWords('run > /tmp/out 2>&1')).toEqual(['run', '>', '/tmp/out', '2>&1'])
    expect(splitWords('*.py ~ $HOME')).toEqual(['*.py', '~', '$HOME'])
  })

  it('throws SplitError for an unclosed single quote', () => {
    expect(() => splitWords("say 'hello")).toThrow(SplitError)
    expect(() => splitWords("say 'hello")).toThrow('it has an unclosed single quote')
  })

  it('throws SplitError for an unclosed double quote, even one whose closing quote is escaped', () => {
    expect(() => splitWords('say "hello')).toThrow(SplitError)
    expect(() => splitWords('say "hello')).toThrow('it has an unclosed double quote')
    expect(() => splitWords('"abc\\"')).toThrow('it has an unclosed double quote')
  })

  it('throws SplitError for a trailing lone backslash', () => {
    expect(() => splitWords('abc \\')).toThrow(SplitError)
    expect(() => splitWords('abc\\')).toThrow('it ends with a lone backslash')
  })

  it('does not throw for a trailing escaped backslash', () => {
    expect(splitWords('abc\\\\')).toEqual(['abc\\'])
  })
})

describe('inputLines', () => {
  it('trims lines and drops blank lines and # comments', () => {
    expect(inputLines('  --help  \n\n# a comment\n   # indented comment\nlist --all\n')).toEqual(['--help', 'list --all'])
  })

  it('splits CRLF line endings', () => {
    expect(inputLines('a\r\nb\r\n\r\nc')).toEqual(['a', 'b', 'c'])
  })

  it('returns [] for an empty value', () => {
    expect(inputLines('')).toEqual([])
    expect(inputLines('\n \n# only a comment\n')).toEqual([])
  })

  it('keeps a # that is not at the start of the line', () => {
    expect(inputLines('say #1')).toEqual(['say #1'])
  })
})

describe('inputList', () => {
  it('splits on commas and lines, trimming and dropping empty items', () => {
    expect(inputList('dev, docs\ntest\r\n,, lint ,\n# comment, ignored\n')).toEqual(['dev', 'docs', 'test', 'lint'])
  })

  it('returns [] for an empty value', () => {
    expect(inputList('')).toEqual([])
    expect(inputList(' , \n,')).toEqual([])
  })
})

describe('quoteForDisplay', () => {
  it('leaves safe words unquoted', () => {
    expect(quoteForDisplay('--help')).toBe('--help')
    expect(quoteForDisplay('/usr/bin/python3.11')).toBe('/usr/bin/python3.11')
    expect(quoteForDisplay('pyinstaller==6.22.3')).toBe('pyinstaller==6.22.3')
    expect(quoteForDisplay('a,b:c@d%e+f')).toBe('a,b:c@d%e+f')
  })

  it('single-quotes words with spaces or shell characters', () => {
    expect(quoteForDisplay('hello world')).toBe("'hello world'")
    expect(quoteForDisplay('--help;')).toBe("'--help;'")
    expect(quoteForDisplay('$(id)')).toBe("'$(id)'")
    expect(quoteForDisplay('pyinstaller>=6.10,<7')).toBe("'pyinstaller>=6.10,<7'")
  })

  it("quotes an empty word as ''", () => {
    expect(quoteForDisplay('')).toBe("''")
  })

  it("escapes single quotes as '\\''", () => {
    expect(quoteForDisplay("it's")).toBe("'it'\\''s'")
  })

  it('round-trips through splitWords', () => {
    const words = ['plain', 'two words', "it's", '', '$(x); y | z', 'a"b', 'back\\slash']
    expect(splitWords(words.map(quoteForDisplay).join(' '))).toEqual(words)
  })
})
