#!/usr/bin/env python3
"""A notification "server" that owns org.freedesktop.Notifications on the session bus and never
answers a call: the case where notify-rust blocks forever. Used by tests/alerts_dbus.rs.

Plain sockets, no D-Bus library: authenticate (EXTERNAL), Hello, RequestName, then read and
ignore everything. Writes READY to the file named by argv[1] once the name is owned.
"""

import os
import socket
import struct
import sys
import time

NAME = "org.freedesktop.Notifications"


def connect(address):
    for part in address.split(";"):
        if not part.startswith("unix:"):
            continue
        kv = dict(x.split("=", 1) for x in part[5:].split(",") if "=" in x)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if "path" in kv:
            s.connect(kv["path"])
        elif "abstract" in kv:
            s.connect("\0" + kv["abstract"])
        else:
            continue
        return s
    raise SystemExit("blackhole: no unix address in " + address)


class Buf:
    def __init__(self):
        self.b = bytearray()

    def pad(self, n):
        while len(self.b) % n:
            self.b.append(0)

    def byte(self, v):
        self.b.append(v)

    def u32(self, v):
        self.pad(4)
        self.b += struct.pack("<I", v)

    def string(self, v):
        e = v.encode()
        self.u32(len(e))
        self.b += e + b"\0"

    def signature(self, v):
        e = v.encode()
        self.byte(len(e))
        self.b += e + b"\0"


def method_call(serial, member, sig="", args=()):
    body = Buf()
    for t, v in zip(sig, args):
        if t == "s":
            body.string(v)
        elif t == "u":
            body.u32(v)
    m = Buf()
    m.b += b"l\x01\x00\x01"
    m.u32(len(body.b))
    m.u32(serial)
    m.u32(0)  # header fields array length, patched below
    start = len(m.b)
    fields = [
        (1, "o", "/org/freedesktop/DBus"),
        (2, "s", "org.freedesktop.DBus"),
        (3, "s", member),
        (6, "s", "org.freedesktop.DBus"),
    ]
    if sig:
        fields.append((8, "g", sig))
    for code, t, v in fields:
        m.pad(8)
        m.byte(code)
        m.signature(t)
        if t == "g":
            m.signature(v)
        else:
            m.string(v)
    struct.pack_into("<I", m.b, 12, len(m.b) - start)
    m.pad(8)
    return bytes(m.b + body.b)


def main():
    ready = sys.argv[1]
    s = connect(os.environ["DBUS_SESSION_BUS_ADDRESS"])
    uid = str(os.getuid()).encode().hex()
    s.sendall(b"\0AUTH EXTERNAL " + uid.encode() + b"\r\n")
    line = s.recv(4096)
    if not line.startswith(b"OK"):
        raise SystemExit("blackhole: auth failed: %r" % line)
    s.sendall(b"BEGIN\r\n")
    s.sendall(method_call(1, "Hello"))
    s.sendall(method_call(2, "RequestName", "su", (NAME, 4)))
    got = b""
    deadline = time.time() + 5
    s.settimeout(0.2)
    while NAME.encode() not in got and time.time() < deadline:
        try:
            got += s.recv(4096)
        except socket.timeout:
            pass
    if NAME.encode() not in got:
        raise SystemExit("blackhole: did not get the name")
    with open(ready, "w") as f:
        f.write("READY\n")
    s.settimeout(None)
    # Swallow every call; never reply.
    while s.recv(65536):
        pass


if __name__ == "__main__":
    main()
