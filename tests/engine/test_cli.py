"""The command line: bad input gets a message naming the problem, exit status 2, and no files."""

import json
import subprocess
import sys

import pytest

from generation.engine.cli import main


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["   "], "prompt"),
        (["x" * 501], "500"),
        (["calm piano", "--duration", "3"], "duration"),
        (["calm piano", "--duration", "601"], "duration"),
        (["calm piano", "--bpm", "300"], "bpm"),
        (["calm piano", "--bpm", "30"], "bpm"),
        (["calm piano", "--key", "H minor"], "key"),
        (["calm piano", "--energy", "extreme"], "energy"),
        (["calm piano", "--hits", "4,x"], "hits"),
        (["calm piano", "--duration", "20", "--hits", "25"], "hits"),
    ],
)
def test_it_refuses_bad_input_with_status_2_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    status = main([*args, "--out", str(out), "--quiet"])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert list(tmp_path.iterdir()) == []


def test_it_refuses_an_unwritable_folder(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    status = main(["calm piano", "--duration", "6", "--out", str(blocker / "out"), "--quiet"])
    assert status == 2
    assert "cannot be written" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]


def test_it_runs_as_a_module_and_prints_the_manifest(tmp_path):
    out = tmp_path / "cue"
    command = [sys.executable, "-m", "generation.engine", "warm acoustic folk, 100 bpm", "--duration", "8"]
    done = subprocess.run(
        [*command, "--seed", "3", "--key", "G major", "--out", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    manifest = json.loads(done.stdout)
    assert manifest["brief"]["key"] == "G" and manifest["brief"]["mode"] == "major"
    assert manifest["brief"]["bpm"] == 100
    assert (out / "mix.wav").is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "generation.engine", "", "--out", str(tmp_path / "bad")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "prompt" in bad.stderr
