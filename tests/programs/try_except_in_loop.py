# try/except/else/finally inside hot loops, with exceptions raised every so often.


def safe_divisions(n):
    ok = failed = 0
    total = 0
    for i in range(n):
        try:
            total += 1000 // (i % 50)
        except ZeroDivisionError:
            failed += 1
        else:
            ok += 1
    return ok, failed, total


def finally_counts(n):
    entered = cleaned = 0
    for i in range(n):
        try:
            entered += 1
            if i % 100 == 0:
                continue
            if i == n - 1:
                break
        finally:
            cleaned += 1
    return entered, cleaned


def nested_handlers(n):
    log = []
    x = 0
    for i in range(n):
        try:
            try:
                if i % 777 == 0:
                    raise ValueError(i)
                x += i
            finally:
                x -= 1
        except ValueError as error:
            log.append(error.args[0])
    return x, log


def float_errors(n):
    results = 0.0
    errors = 0
    x = 1.0
    for i in range(n):
        try:
            x = x * 10.0 if x < 1e300 else x ** 2
        except OverflowError:
            errors += 1
            x = 1.0
        results += x % 7.0
    return results, errors


print(safe_divisions(5000))
print(finally_counts(3000))
print(nested_handlers(4000))
print(float_errors(3000))
