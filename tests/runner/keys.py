"""From text to QEMU key codes ("qcodes", as QMP send-key takes them)
on a US keyboard layout."""

# Unshifted characters whose key is not named after the character.
PLAIN = {
    " ": "spc", "\n": "ret", "\b": "backspace", "\t": "tab",
    "-": "minus", "=": "equal", "[": "bracket_left", "]": "bracket_right",
    ";": "semicolon", "'": "apostrophe", "`": "grave_accent",
    "\\": "backslash", ",": "comma", ".": "dot", "/": "slash",
}

# Characters typed with shift, by the key that carries them.
SHIFTED = {
    "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7",
    "*": "8", "(": "9", ")": "0", "_": "minus", "+": "equal",
    "{": "bracket_left", "}": "bracket_right", ":": "semicolon",
    '"': "apostrophe", "~": "grave_accent", "|": "backslash",
    "<": "comma", ">": "dot", "?": "slash",
}


def chord(ch):
    """The keys pressed together to type ch, e.g. "H" -> ["shift", "h"]."""
    if ch in PLAIN:
        return [PLAIN[ch]]
    if ch in SHIFTED:
        return ["shift", SHIFTED[ch]]
    if ch.isascii() and (ch.islower() or ch.isdigit()):
        return [ch]
    if ch.isascii() and ch.isupper():
        return ["shift", ch.lower()]
    raise ValueError(f"no key types {ch!r}")


def chords(text):
    """The chords that type text, one per character."""
    return [chord(ch) for ch in text]
