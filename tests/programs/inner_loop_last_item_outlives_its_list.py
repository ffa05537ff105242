"""The loop variable of an inner `for` loop keeps the last item alive after
the list it came from is freed at the loop's end (`for piece in
b.splitlines()`, the list made anew each outer turn): a bridge that ends the
inner loop and goes round the outer one must hold that item, or it is freed
early (its `__del__` runs too soon) and the exit writes a freed object into
the frame."""


class Piece:
    def __init__(self, tag):
        self.tag = tag

    def __del__(self):
        if self.tag[1] == 2:
            print("del", self.tag)


def pieces(block, k):
    return [Piece((k, j)) for j in range(3)]


def lines_of(blocks):
    n = 0
    piece = None
    for k, b in enumerate(blocks):
        for piece in b.splitlines(True):
            n += len(piece)
        if k % 50 == 0:
            print("after lines", k, repr(piece))
    return n, piece


print(lines_of([f"a\tb\nc{i}\r\nd" + "\tX" * (i % 7) for i in range(200)]))


def objects_of(count):
    n = 0
    piece = None
    for k in range(count):
        for piece in pieces("x", k):
            n += piece.tag[1]
        if k % 40 == 0 or k > count - 3:
            print("after pieces", k, piece.tag)
    return n, piece.tag


print(objects_of(200))
print("end")
