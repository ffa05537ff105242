# Square-and-multiply modular exponentiation and a linear congruential generator:
# int * and % on values up to the modulus squared.


def pow_mod(base, exp, mod):
    result = 1
    base %= mod
    while exp > 0:
        if exp & 1:
            result = result * base % mod
        base = base * base % mod
        exp >>= 1
    return result


def lcg(seed, n):
    x = seed
    checksum = 0
    for i in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) % 2**64
        checksum ^= x >> 33
    return x, checksum


results = []
for b in range(2, 300):
    r = pow_mod(b, 10**18 + b, 10**9 + 7)
    assert r == pow(b, 10**18 + b, 10**9 + 7)
    results.append(r)
print(sum(results), results[:5])
print(pow_mod(3, 2**100, 2**61 - 1))
print(lcg(42, 5000))
