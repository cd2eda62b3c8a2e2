"""QR codes, one source for the PDFs (as images) and the terminal (as a matrix of modules).

Imports only `qrcode` (and Pillow when an image is asked for), so the terminal can draw a code without
loading the PDF library. Codes are cached: a workshop's resource URLs and the join URL are drawn in
every takeaway, and they are not private.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import qrcode
from qrcode.constants import ERROR_CORRECT_M

if TYPE_CHECKING:
    from PIL.Image import Image

QUIET_ZONE = 4  # modules of white around a code, as the QR standard asks


@lru_cache(maxsize=256)
def _matrix(url: str, border: int) -> tuple[tuple[bool, ...], ...]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(url)
    code.make(fit=True)
    return tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())


def qr_matrix(url: str, *, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The code's modules, row by row, True for dark, with `border` light modules all round.

    The terminal draws two rows per character cell with half blocks; a border of 2 is usually enough
    on a dark terminal background when the light modules are drawn light.
    """
    return [list(row) for row in _matrix(url, border)]


@lru_cache(maxsize=64)
def qr_image(url: str, *, box_size: int = 1, border: int = QUIET_ZONE) -> Image:
    """A black-and-white (mode "1") image of the code, `box_size` pixels per module.

    One pixel per module is the smallest exact image; a PDF scales it up without blurring it. The image
    is cached and shared: treat it as read-only.
    """
    from PIL import Image

    rows = _matrix(url, border)
    size = len(rows)
    image = Image.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in rows for dark in row])
    if box_size > 1:
        image = image.resize((size * box_size, size * box_size), Image.Resampling.NEAREST)
    return image
