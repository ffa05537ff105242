# A function with a short loop called thousands of times: the loop is entered
# and left over and over, each time with different inputs.


def short_int(k):
    s = 0
    for i in range(k):
        s += i * k
    return s


def short_float(x, k):
    for i in range(k):
        x = x * 0.5 + 1.0
    return x


def short_while(a, b):
    while b:
        a, b = b, a % b
    return a


int_total = 0
float_total = 0.0
gcd_total = 0
for call in range(4000):
    int_total += short_int(call % 12)
    float_total += short_float(call * 0.001, call % 9)
    gcd_total += short_while(call * 7 + 1, call * 3 + 2)
print(int_total, repr(float_total), gcd_total)
print([short_int(k) for k in range(15)])
print([repr(short_float(1.0, k)) for k in range(8)])
