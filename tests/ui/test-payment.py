#!/usr/bin/python3
# test-payment.py: takes one card payment in the real Paydesk as a person would
#
# Starts the built application (path in argv[1]) with --sandbox and empty XDG
# folders, chooses the PesoGate sandbox account, opens New Payment by its
# name, types into the fields found by their labels (AT-SPI EditableText),
# chooses MPGS and presses Charge. The bank's 3-D Secure page is web content,
# which GTK 4.8 does not put on the accessibility bus: the code is typed with
# the keyboard (xdotool), as the merchant would, since the challenge moves the
# keyboard focus into the page's code field. Then reads the receipt. Prints TAP.
#
# Needs a display, a session bus with an unlocked keyring (build-aux/dev test),
# /usr/bin/python3 with pyatspi, and xdotool. Never prints what it types.

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time

import pyatspi

TIMEOUT = 30
ACCOUNT = "PesoGate Sandbox"
# The spec's MPGS success card and a distinctive security code.
CARD = "4242 4242 4242 4242"
CVV = "739"
CODE = "1234"

results = []
ATTEMPTS = 3


def tap(ok, description):
    results.append((ok, description))


def report():
    for number, (ok, description) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {number} - {description}", flush=True)


class Failure(Exception):
    pass


def wait_for(what, find, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
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
    title = find(frame, "filler", "AdwWindowTitle")
    return [acc.name for acc in descendants(title) if acc.getRoleName() == "label"] if title else []


def editable(frame, label):
    """The field whose label reads @label, if it takes text."""
    for acc in descendants(frame):
        if acc.name == label:
            try:
                acc.queryEditableText()
            except NotImplementedError:
                continue
            return acc
    return None


def text_of(field):
    text = field.queryText()
    return text.getText(0, text.characterCount)


def type_into(frame, label, text):
    field = wait_for(f"the “{label}” field", lambda: editable(frame, label))
    field.queryEditableText().setTextContents(text)
    typed = text_of(field)
    # A password field shows dots; every other field must show what was typed.
    if field.getRoleName() != "password text" and typed.replace(" ", "") != text.replace(" ", ""):
        raise Failure(f"the “{label}” field did not take the text")


def terminal_page(frame):
    """The New Payment page: other pages have fields and statuses too."""
    for acc in descendants(frame):
        if acc.getRoleName() == "panel" and acc.name == "New Payment" and editable(acc, "Amount"):
            return acc
    return None


def switch_account(frame, name):
    if header_title(frame)[1:] == [name]:
        return
    switcher = wait_for("the account switcher", lambda: find(frame, "push button", "Switch Account"))
    inner = find(switcher, "push button", "Switch Account") or switcher
    click(inner)
    row = wait_for(f"the account “{name}” in the switcher",
                   lambda: next((acc for acc in descendants(find(frame, "list", "Accounts") or frame)
                                 if acc.getRoleName() == "list item" and acc.name.startswith(name)), None))
    choose_row(row)
    wait_for(f"the account “{name}”", lambda: header_title(frame)[1:] == [name])


def charge_button(frame):
    for acc in descendants(frame):
        if acc.getRoleName() == "push button" and acc.name.startswith("Charge"):
            return acc
    return None


def labels(frame):
    return [acc.name for acc in descendants(frame) if acc.getRoleName() == "label"]


def keyboard(*args):
    subprocess.run(["xdotool", *args], check=True, timeout=30,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def paydesk_window():
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Paydesk$"],
                           capture_output=True, text=True, timeout=30).stdout.split()
    return found[0] if found else None


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
        print("usage: test-payment.py PATH-TO-PAYDESK", file=sys.stderr)
        return 2

    planned = 6
    print(f"1..{planned}", flush=True)
    if shutil.which("xdotool") is None or not os.environ.get("DISPLAY"):
        for _ in range(planned):
            tap(True, "# SKIP needs xdotool and an X display")
        report()
        return 0

    # Typing into the bank's page under Xvfb without a window manager now and
    # then loses the keyboard focus: a failed run is tried again with a fresh
    # app, and each failure is reported.
    for attempt in range(1, ATTEMPTS + 1):
        results.clear()
        # Under the test session's home when there is one, so the last test can
        # look through what Paydesk left there.
        base = os.environ.get("PAYDESK_TEST_HOME")
        tmp = tempfile.mkdtemp(prefix="paydesk-ui-payment-", dir=base if base and os.path.isdir(base) else None)
        env = dict(os.environ)
        for variable, folder in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                                 ("XDG_CACHE_HOME", "cache")):
            env[variable] = os.path.join(tmp, folder)
        env.pop("GTK_A11Y", None)
        env.pop("NO_AT_BRIDGE", None)

        expiry = datetime.date.today().replace(day=1)
        expiry = f"{expiry.month:02d}/{(expiry.year + 5) % 100:02d}"

        app_process = subprocess.Popen([sys.argv[1], "--sandbox"], env=env)
        try:
            app = wait_for("Paydesk on the accessibility bus", find_app)
            frame = wait_for("the Paydesk window", lambda: find(app, "frame", "Paydesk"))
            wait_for("the sandbox accounts", lambda: find(frame, "list", "Pages"))
            switch_account(frame, ACCOUNT)

            row = wait_for("the “New Payment” row", lambda: find(find(frame, "list", "Pages"), "list item", "New Payment"))
            choose_row(row)
            wait_for("the New Payment page", lambda: header_title(frame)[:1] == ["New Payment"])
            page = wait_for("the New Payment form", lambda: terminal_page(frame))
            tap(True, "New Payment opens from the sidebar")

            type_into(page, "Amount", "10.00")
            click(wait_for("the “MPGS” provider", lambda: next((acc for acc in descendants(page)
                                                                 if acc.name == "MPGS" and "button" in acc.getRoleName()),
                                                                None)))
            type_into(page, "Card Number", CARD)
            type_into(page, "Expiry", expiry)
            type_into(page, "Security Code", CVV)
            type_into(page, "Customer Name", "Ana Langa")
            button = wait_for("the Charge button", lambda: charge_button(page))
            tap("10.00" in button.name, "the Charge button says how much")

            click(button)
            # The challenge shows the amount, the masked card and the merchant above the bank's page.
            wait_for("the 3-D Secure challenge", lambda: any("4242" in text for text in labels(page)), timeout=40)
            tap(not any(CARD.replace(" ", "") in text.replace(" ", "") for text in labels(page)),
                "the challenge shows the card masked")
            tap(text_of(editable(page, "Card Number")) == "",
                "the card number is gone from the form once sent")

            # The bank's page takes the keyboard: type the code and press Enter.
            # Its loading is not on the bus (the web view is a leaf), so on a slow
            # machine the first keys may come before the page: while no receipt
            # shows, type again, replacing what the field holds (a wrong code
            # would end the challenge as Failed, which the check below catches).
            def receipt_status():
                return next((text for text in labels(page)
                             if text in ("Completed", "Failed", "Cancelled", "Pending")), None)

            status = None
            deadline = time.monotonic() + 60
            while status is None and time.monotonic() < deadline:
                time.sleep(3)
                window = wait_for("the Paydesk window on the X display", paydesk_window)
                keyboard("windowfocus", "--sync", window)
                keyboard("key", "ctrl+a")
                keyboard("type", "--delay", "50", CODE)
                keyboard("key", "Return")
                try:
                    status = wait_for("the receipt", receipt_status, timeout=8)
                except Failure:
                    status = None
            if status is None:
                status = wait_for("the receipt", receipt_status, timeout=10)
            tap(status == "Completed", f"the receipt reads “{status}”")
            tap(find(page, "push button", "Copy Reference") is not None
                and find(page, "push button", "New Payment") is not None,
                "the receipt offers Copy Reference and New Payment")
        except Failure as error:
            tap(False, str(error))
        finally:
            app_process.terminate()
            try:
                app_process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                app_process.kill()
                app_process.wait()
            forget_keys(env["XDG_CONFIG_HOME"])
            if not base:
                shutil.rmtree(tmp, ignore_errors=True)

        while len(results) < planned:
            tap(False, "not reached")
        if all(ok for ok, _ in results) or attempt == ATTEMPTS:
            break
        failed = next(description for ok, description in results if not ok)
        print(f"# attempt {attempt} failed ({failed}); trying again with a fresh app", flush=True)

    report()
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
