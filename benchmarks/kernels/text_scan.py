"""Text scanning, the character loop of a tokenizer: `for c in text` over a
str with characters beyond Latin-1, membership in a list, ord() checksums and
word counting."""

TEXT = "Dès Noël où un zéphyr haï me vêt de glaçons würmiens, je dîne d'exquis rôtis de bœuf au kir — à l'aÿ d'âge mûr. " * 40
VOWELS = ["a", "e", "i", "o", "u", "y", "à", "â", "é", "è", "ê", "ë", "î", "ï", "ô", "û", "ü", "ÿ"]
N = 60


def run(n=N):
    words = vowels = checksum = 0
    for _ in range(n):
        in_word = False
        for c in TEXT:
            if c in VOWELS:
                vowels += 1
            checksum = (checksum * 31 + ord(c)) & 0xFFFFFFFF
            if c == " ":
                in_word = False
            elif not in_word:
                in_word = True
                words += 1
    return words, vowels, checksum
