# Trial division with nested while loops over ints only.


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(limit):
    count = 0
    last = 0
    n = 2
    while n < limit:
        if is_prime(n):
            count += 1
            last = n
        n += 1
    return count, last


def largest_factor(n):
    factor = 2
    while factor * factor <= n:
        while n % factor == 0 and n > factor:
            n //= factor
        factor += 1
    return n


print(count_primes(20000))
print([largest_factor(x) for x in (600851475143, 2**31 - 1, 10**12 + 39, 97 * 89 * 83)])
