# A loop whose header carries an EXTENDED_ARG (a long body): exits must resume at
# the prefix so that the interpreter reads the whole argument (found by the fuzzer).
def f1(n):
    b2 = True
    for i1 in range(n // 2, n + 20):
        if b2:
            continue
            if not -2**20 < x1 < 2**20:
                x1 = x1 % 1000
        elif i1 == 0:
            for i2 in range(2, 2, 3):
                if not -(2**63 - 1) < x0 < (2**63 - 1):
                    x0 = x0 % 65536
                x3 = x3 * 1000003 + i1
                if not -(2**63 - 1) < x3 < (2**63 - 1):
                    x3 = 10
                x3 **= 3
                if not -(2**63 - 1) < x3 < (2**63 - 1):
                    x3 = 10
                if x1 > (10 if (-(-3)) != i2 else 10) != x1:
                    return (x0, x1, b2, x3, b4,)
            if i1 % 97 == 9:
                x0 ^= 10 ** (1 & 3)
                if not -(2**63 - 1) < x0 < (2**63 - 1):
                    x0 = x0 % 65536
                x3 %= 2
                if not -(2**63 - 1) < x3 < (2**63 - 1):
                    x3 = 10
        else:
            x0 *= x0
            if not -(2**63 - 1) < x0 < (2**63 - 1):
                x0 = x0 % 65536
            x1 <<= 3
            if not -2**20 < x1 < 2**20:
                x1 = x1 % 1000
        x0 &= (x1 // 4) + x0
        if not -(2**63 - 1) < x0 < (2**63 - 1):
            x0 = x0 % 65536
        if i1 > 100:
            break
for n in (64, 200, 3, 2):
    print(f1(n))
