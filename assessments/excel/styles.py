"""The look of the downloaded workbook: yellow cells are the ones to fill in."""

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

EDITABLE_FILL = PatternFill("solid", fgColor="FFF2CC")
EDITABLE_HEADER_FILL = PatternFill("solid", fgColor="FFD966")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOP_WRAP = Alignment(vertical="top", wrap_text=True)
TOP = Alignment(vertical="top")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)
UNLOCKED = Protection(locked=False)
BOLD = Font(bold=True)
SMALL_FONT = Font(size=9, color="404040")
SMALL_PRINT = ("descriptors", "guidance")  # reference texts: smaller, so more of them shows
