"""The runtime registry through the real server: `kindling runtimes`, the start-up banner, runtimes the host does
not have, and interpreters named in the settings (docs/runtimes.md)."""
import subprocess
import unittest

from harness import ROLE, KindlingServer, ServerTestCase, make_zip, server_bin, unique_name


def cli_runtimes(*args: str) -> tuple[dict[str, list[str]], str]:
    proc = subprocess.run([server_bin(), "runtimes", *args], capture_output=True, text=True, timeout=60, check=True)
    lines = proc.stdout.splitlines()
    rows = {}
    for line in lines[1:]:
        cells = line.split()
        rows[cells[0]] = cells[1:]
    return rows, proc.stderr


class RuntimeRegistryTests(ServerTestCase):

    def test_RuntimesCommand_ListsHostInterpreters(self):
        rows, _ = cli_runtimes()
        self.assertEqual(rows["provided.al2023"][0], "-")
        self.assertEqual(rows["python3.11"][1:], ["/usr/bin/python3.11", "discovered"])
        self.assertRegex(rows["python3.11"][0], r"^3\.11\.\d+$")
        self.assertEqual(rows["nodejs20.x"][1:], ["/usr/bin/node", "discovered"])
        self.assertRegex(rows["dotnet10"][0], r"^10\.0\.\d+$")
        self.assertTrue(rows["dotnet10"][1].endswith("/dotnet"), rows["dotnet10"])

    def test_StartupBanner_ListsRuntimes(self):
        rows, _ = cli_runtimes()
        line = next(l for l in self.server.output().splitlines() if l.strip().startswith("runtimes "))
        self.assertEqual(sorted(line.strip()[len("runtimes "):].split(", ")), sorted(rows))

    def test_CreateFunction_RuntimeNotOnHost_NamesAvailableRuntimes(self):
        rows, _ = cli_runtimes()
        self.assert_client_error(
            self.lam.create_function, 400, "InvalidParameterValueException",
            message=f"The runtime parameter of java21 is not supported by this Kindling host. "
                    f"Available runtimes: {', '.join(sorted(rows))}.",
            FunctionName=unique_name("java"), Role=ROLE, Runtime="java21", Handler="a.b",
            Code={"ZipFile": make_zip({"a.txt": "x"})})

    def test_UpdateFunctionConfiguration_RuntimeNotOnHost_Refused(self):
        name = unique_name("upd")
        self.create_function(name, Runtime="python3.11", Handler="app.handler",
                             zip_bytes=make_zip({"app.py": "def handler(e, c):\n    return e\n"}))
        self.assert_client_error(self.lam.update_function_configuration, 400, "InvalidParameterValueException",
                                 message_prefix="The runtime parameter of nodejs22.x is not supported by this Kindling host.",
                                 FunctionName=name, Runtime="nodejs22.x")
        self.assertEqual(self.lam.get_function_configuration(FunctionName=name)["Runtime"], "python3.11")


class ConfiguredInterpreterTests(unittest.TestCase):

    def test_ConfiguredInterpreterOfWrongVersion_WarnedAndNotOffered(self):
        server = KindlingServer(extra_args=("--runtimes", "python3.12=/usr/bin/python3.11,python3.11=/usr/bin/python3.11"))
        server.start()
        self.addCleanup(server.cleanup)
        output = server.output()
        self.assertIn("kindling: warning: runtimes: python3.12: /usr/bin/python3.11 is python3.11", output)
        lam = server.client()
        with self.assertRaises(Exception) as raised:
            lam.create_function(FunctionName=unique_name("py312"), Role=ROLE, Runtime="python3.12", Handler="app.handler",
                                Code={"ZipFile": make_zip({"app.py": "def handler(e, c):\n    return e\n"})})
        self.assertIn("not supported by this Kindling host", str(raised.exception))

        rows, stderr = cli_runtimes("--runtimes", "python3.11=/usr/bin/python3.11")
        self.assertEqual(rows["python3.11"][1:], ["/usr/bin/python3.11", "configured"])

    def test_MalformedRuntimesSetting_ServerRefusesToStart(self):
        proc = subprocess.run([server_bin(), "server", "--runtimes", "python3.12"], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2)
        self.assertIn('kindling: runtimes: "python3.12" is not identifier=path', proc.stderr)


if __name__ == "__main__":
    unittest.main()
