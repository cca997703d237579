#!/usr/bin/python3
# test-navigation.py: drives the real Paydesk through AT-SPI as a person would
#
# Starts the built application (path in argv[1]) with empty XDG folders,
# chooses "Explore with the Sandbox" on the welcome page, then reaches every
# page of both sandbox accounts through the sidebar by the names a person
# reads, and checks that the header shows each page's title. Prints TAP.
#
# Needs a display, a session bus with an unlocked keyring (build-aux/dev test)
# and /usr/bin/python3 with pyatspi. GTK 4.8 gives no screen coordinates and
# no "showing" state, so widgets are found by role and name, rows are chosen
# through the list's Selection interface, buttons through their Action.

import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi

TIMEOUT = 20

PAGES = {
    "PesoGate Sandbox": ["Transactions", "New Payment"],
    "PaysGator Sandbox": ["Transactions", "Payment Links", "Subscriptions", "Wallet"],
}

results = []


def tap(ok, description):
    results.append(ok)
    print(f"{'ok' if ok else 'not ok'} {len(results)} - {description}", flush=True)


class Failure(Exception):
    pass


def wait_for(what, find):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            found = find()
        except Exception:  # the tree changes under our feet while the app works
            found = None
        if found:
            return found
        time.sleep(0.1)
    raise Failure(f"timed out waiting for {what}")


def descendants(root):
    for child in root:
        if child is None:
            continue
        yield child
        yield from descendants(child)


def find(root, role, name):
    for acc in descendants(root):
        if acc.getRoleName() == role and acc.name == name:
            return acc
    return None


def find_app():
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name == "paydesk":
            return app
    return None


def is_selected(acc):
    return acc.getState().contains(pyatspi.STATE_SELECTED)


def click(button):
    action = button.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == "click":
            action.doAction(i)
            return
    raise Failure(f"“{button.name}” cannot be clicked")


def choose_row(row):
    """Selects a list row the way assistive technologies do."""
    row.parent.querySelection().selectChild(row.getIndexInParent())


def header_title(frame):
    """The page title and account name in the content header bar."""
    title = find(frame, "filler", "AdwWindowTitle")
    labels = [acc.name for acc in descendants(title) if acc.getRoleName() == "label"] if title else []
    return labels


def pages_list(frame):
    return find(frame, "list", "Pages")


def sidebar_names(frame):
    return [row.name for row in pages_list(frame) if row is not None]


def switch_account(frame, name):
    switcher = wait_for("the account switcher",
                        lambda: find(frame, "push button", "Switch Account"))
    # GtkMenuButton exposes its inner toggle button as a child with the same name.
    inner = find(switcher, "push button", "Switch Account") or switcher
    click(inner)
    row = wait_for(f"the account “{name}” in the switcher",
                   lambda: next((acc for acc in descendants(find(frame, "list", "Accounts") or frame)
                                 if acc.getRoleName() == "list item" and acc.name.startswith(name)), None))
    choose_row(row)
    wait_for(f"the sidebar of “{name}”", lambda: sidebar_names(frame) == PAGES[name])


def visit_pages(frame, account):
    for page in PAGES[account]:
        row = wait_for(f"the “{page}” row", lambda: find(pages_list(frame), "list item", page))
        choose_row(row)
        try:
            wait_for(f"the “{page}” title",
                     lambda: header_title(frame)[:1] == [page] and is_selected(row))
            tap(header_title(frame) == [page, account], f"{account}: “{page}” shows its title")
        except Failure as error:
            tap(False, f"{account}: “{page}”: {error}; header shows {header_title(frame)}")


def dump_tree(root, depth=0):
    """What the test could see, as TAP comments, to explain a failure."""
    try:
        print(f"# {'  ' * depth}{root.getRoleName()} “{root.name}”", flush=True)
        for child in root:
            if child is not None:
                dump_tree(child, depth + 1)
    except Exception:  # the tree changes under our feet while the app works
        pass


def forget_keys(config_dir):
    """Takes the sandbox accounts' keys out of the keyring again."""
    path = os.path.join(config_dir, "paydesk", "accounts.ini")
    if not os.path.exists(path) or shutil.which("secret-tool") is None:
        return
    with open(path, encoding="utf-8") as accounts:
        for line in accounts:
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                subprocess.run(["secret-tool", "clear", "account-id", line[1:-1]], check=False)


def main():
    if len(sys.argv) != 2:
        print("usage: test-navigation.py PATH-TO-PAYDESK", file=sys.stderr)
        return 2

    planned = 2 + sum(len(pages) for pages in PAGES.values())
    print(f"1..{planned}", flush=True)
    tmp = tempfile.mkdtemp(prefix="paydesk-ui-")
    env = dict(os.environ)
    for variable, folder in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                             ("XDG_CACHE_HOME", "cache")):
        env[variable] = os.path.join(tmp, folder)
    env.pop("GTK_A11Y", None)
    env.pop("NO_AT_BRIDGE", None)

    app_process = subprocess.Popen([sys.argv[1]], env=env)
    try:
        app = wait_for("Paydesk on the accessibility bus", find_app)
        frame = wait_for("the Paydesk window", lambda: find(app, "frame", "Paydesk"))

        explore = wait_for("the “Explore with the Sandbox” button",
                           lambda: find(frame, "push button", "Explore with the Sandbox"))
        tap(True, "the welcome page offers “Explore with the Sandbox”")
        click(explore)

        wait_for("the PesoGate sandbox account",
                 lambda: sidebar_names(frame) == PAGES["PesoGate Sandbox"]
                 and header_title(frame)[1:] == ["PesoGate Sandbox"])
        tap(find(frame, "status bar", "SANDBOX — no real money") is not None,
            "the sandbox account is marked SANDBOX")

        visit_pages(frame, "PesoGate Sandbox")
        switch_account(frame, "PaysGator Sandbox")
        visit_pages(frame, "PaysGator Sandbox")
    except Failure as error:
        tap(False, str(error))
        app = find_app()
        if app is not None:
            dump_tree(app)
    finally:
        app_process.terminate()
        try:
            app_process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app_process.kill()
            app_process.wait()
        forget_keys(env["XDG_CONFIG_HOME"])
        shutil.rmtree(tmp, ignore_errors=True)

    return 0 if all(results) and len(results) == planned else 1


if __name__ == "__main__":
    sys.exit(main())
