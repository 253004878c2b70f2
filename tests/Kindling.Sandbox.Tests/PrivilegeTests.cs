namespace Kindling.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class PrivilegeTests(SandboxFixture fixture)
{
    [Fact]
    public async Task LaunchAsync_SeccompDeniedCalls_FailWithEperm()
    {
        // Each of these succeeds for an unprivileged process without the filter (ptrace on itself, the session
        // keyring, io_uring, a user namespace); EPERM here is the filter's answer. clone3 gets ENOSYS so that
        // the C library falls back to clone, whose namespace flags the filter can inspect.
        var script = "import ctypes\n"
            + "libc = ctypes.CDLL(None, use_errno=True)\n"
            + "def call(name, *args):\n"
            + "    r = libc.syscall(*args)\n"
            + "    print(name, r, ctypes.get_errno())\n"
            + "call('ptrace', 101, 0, 0, 0, 0)\n"
            + "call('keyctl', 250, 0, -3, 0)\n"
            + "call('io_uring_setup', 425, 1, ctypes.create_string_buffer(120))\n"
            + "call('unshare', 272, 0x10000000)\n"
            + "call('clone', 56, 0x10000000 | 17, 0, 0, 0, 0)\n"
            + "call('mount', 165, b'none', b'/tmp', b'tmpfs', 0, 0)\n"
            + "call('bpf', 321, 0, 0, 0)\n"
            + "call('clone3', 435, 0, 0)\n";
        var spec = fixture.Shell("unused") with { Command = ["/usr/bin/python3", "-c", script] };

        var (exit, output) = await fixture.RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(
            "ptrace -1 1\nkeyctl -1 1\nio_uring_setup -1 1\nunshare -1 1\nclone -1 1\nmount -1 1\nbpf -1 1\nclone3 -1 38\n",
            output);
    }

    [Fact]
    public async Task LaunchAsync_MountUnshareAndPtraceTools_AreRefused()
    {
        var (exit, output) = await fixture.RunAsync(fixture.Shell(
            "mkdir /tmp/m; mount -t tmpfs none /tmp/m 2>/tmp/err; echo rc=$?; head -1 /tmp/err; unshare -r true 2>&1; echo rc=$?; "
            + "python3 -c 'import ctypes; print(ctypes.CDLL(None, use_errno=True).ptrace(0, 0, 0, 0), ctypes.get_errno())'"));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal(
            "rc=32\nmount: /tmp/m: must be superuser to use mount.\n"
            + "unshare: unshare failed: Operation not permitted\nrc=1\n"
            + "-1 1\n",
            output);
    }

    [Fact]
    public async Task LaunchAsync_CgroupFilesFromInside_AreUnreachableAndUnmountable()
    {
        var script = "import ctypes, os\n"
            + "print(os.path.exists('/sys/fs/cgroup'))\n"
            + "print(open('/proc/self/cgroup').read().splitlines()[-1])\n"
            + "os.mkdir('/tmp/cg')\n"
            + "libc = ctypes.CDLL(None, use_errno=True)\n"
            + "print(libc.mount(b'none', b'/tmp/cg', b'cgroup2', 0, None), ctypes.get_errno())\n"
            + "print(libc.mount(b'none', b'/tmp/cg', b'cgroup', 0, b'memory'), ctypes.get_errno())\n";
        var spec = fixture.Shell("unused") with { Command = ["/usr/bin/python3", "-c", script] };

        var (exit, output) = await fixture.RunAsync(spec);

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("False\n0::/\n-1 1\n-1 1\n", output);
    }
}
