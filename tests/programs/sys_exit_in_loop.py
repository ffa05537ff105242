# sys.exit with a status from inside a hot loop; finally blocks still run, and
# output printed before must be flushed.
import sys


def search(n):
    total = 0
    try:
        for i in range(n):
            total += i % 11
            if total > 12000:
                print("exiting at", i, total)
                sys.exit(3)
    finally:
        print("finally ran", total)


search(100000)
print("not reached")
