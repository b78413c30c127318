from django import template

register = template.Library()


@register.simple_tag
def share(cell, value):
    """The cell's share (%) of respondents who chose `value`."""
    return cell.share(int(value))


@register.filter
def label(option):
    """An option's label in the user's language."""
    from opiskeluhuolto.surveys.models import pick

    return pick(option)
