"""The password hash that bounds logins, timed without HTTP or Redis.

Calls libxcrypt's crypt_rn (what PasswordHashing does, through CCrypt's tsr_crypt) with the
benchmark user's password against its stored hash: exactly a login's verification. First one
at a time (the per-hash time of the ceiling), then one process per core at once (what the
cores really sustain when every one of them hashes). Prints JSON.
Usage: hash-time.py STORED_HASH PASSWORD COUNT PROCESSES
"""
import ctypes
import json
import multiprocessing
import statistics
import sys
import time

CRYPT_DATA_SIZE = 32768  # sizeof(struct crypt_data)


def verifier():
    crypt_rn = ctypes.CDLL("libcrypt.so.1").crypt_rn
    crypt_rn.restype = ctypes.c_char_p
    crypt_rn.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int]
    return crypt_rn


def timed(stored, password, count):
    crypt_rn = verifier()
    times = []
    for _ in range(count):
        data = ctypes.create_string_buffer(CRYPT_DATA_SIZE)  # zeroed, one per call as tsr_crypt does
        start = time.perf_counter()
        result = crypt_rn(password, stored, data, CRYPT_DATA_SIZE)
        times.append(time.perf_counter() - start)
        if result != stored:
            raise SystemExit(f"crypt_rn did not reproduce the stored hash: {result!r}")
    return times


def main():
    stored, password = sys.argv[1].encode(), sys.argv[2].encode()
    count, processes = int(sys.argv[3]), int(sys.argv[4])
    timed(stored, password, 2)  # warm up: page in the library and the memory it uses
    sequential = timed(stored, password, count)
    with multiprocessing.Pool(processes) as pool:
        start = time.perf_counter()
        parallel = pool.starmap(timed, [(stored, password, count)] * processes)
        wall = time.perf_counter() - start
    print(json.dumps({
        "count": count,
        "median_ms": statistics.median(sequential) * 1000,
        "min_ms": min(sequential) * 1000,
        "processes": processes,
        "parallel_median_ms": statistics.median(t for times in parallel for t in times) * 1000,
        "parallel_per_second": processes * count / wall,
    }))


if __name__ == "__main__":
    main()
