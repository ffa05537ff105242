# shrunk (differs); compare: python prog.py  vs  python -m hotloop run --threshold 5 prog.py
NAN = 'nan'
INF = float('inf')

def show(label, function, *args):
    try:
        result = function(*args)
    except Exception as error:
        pass
    else:
        print(label, result)

def f0(n, a0, a1, a2):
    y0 = INF
    x1 = a0
    y3 = a2
    i1 = 0
    while True:
        i1 += 1
        if i1 > n:
            break
        y3 //= max(7, y0)
        x1 //= 16
        y0 **= 2
        if not 0 < y0 < 1000000000000000.0:
            y0 = 2.5
    return (x1,)
show('f0#19', f0, 600, 1000003, 255, 1.0)
