"""URL converters shared by the blueprints."""

from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """A database id: 1 to 2**31 - 1, so no id in a URL overflows an INTEGER column.

    Anything else (0, negative, huge, not a number) does not match the route: a 404.
    Digits are ASCII only: the default pattern's \\d also matches other scripts' digits,
    which int() reads ("١" is 1).
    """

    regex = "[0-9]+"

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=2**31 - 1)
