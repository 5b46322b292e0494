"""Decoding the VGA text buffer (80x25 cells of character + attribute)."""
from dataclasses import dataclass

COLS, ROWS = 80, 25
BASE, SIZE = 0xB8000, COLS * ROWS * 2


@dataclass
class Screen:
    """One snapshot: lines[r] is 80 characters, attrs[r] 80 attribute
    bytes (low nibble foreground, high nibble background)."""
    lines: list
    attrs: list

    @classmethod
    def decode(cls, raw):
        """Decode SIZE bytes read from BASE (code page 437 glyphs)."""
        if len(raw) != SIZE:
            raise ValueError(f"VGA dump has {len(raw)} bytes, not {SIZE}")
        rows = [raw[r * COLS * 2:(r + 1) * COLS * 2] for r in range(ROWS)]
        return cls([bytes(row[0::2]).decode("cp437") for row in rows],
                   [bytes(row[1::2]) for row in rows])

    def text(self):
        """The 25 lines without trailing blanks."""
        return [line.rstrip() for line in self.lines]

    def contains(self, s):
        """Whether s appears within one line of the screen."""
        return any(s in line for line in self.lines)

    def dump(self):
        """Text, then each row's attributes in hex, for failure logs."""
        text = "\n".join(f"{r:2} |{line}|" for r, line in enumerate(self.lines))
        attrs = "\n".join(f"{r:2} {a.hex()}" for r, a in enumerate(self.attrs))
        return f"{text}\n\nattributes (hex, one byte per column):\n{attrs}\n"
