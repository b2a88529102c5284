"""Account mail, written and sent by the task queue (kcry_site/celery.py), never inside
the request that asked for it."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import translation


@shared_task(name="kcry_site.accounts.tasks.send_password_reset")
def send_password_reset(
    *,
    member_id,
    to_email,
    from_email,
    uid,
    token,
    domain,
    site_name,
    protocol,
    language,
    subject_template_name,
    email_template_name,
    html_email_template_name=None,
):
    """Render and send Django's password reset mail from ids and strings (the form's
    send_mail, see forms.QueuedPasswordResetForm). Nothing is sent for an account that
    was deleted or deactivated in between."""
    member = get_user_model()._default_manager.filter(pk=member_id, is_active=True).first()
    if member is None:
        return False
    context = {
        "email": to_email,
        "domain": domain,
        "site_name": site_name,
        "uid": uid,
        "user": member,
        "token": token,
        "protocol": protocol,
    }
    with translation.override(language):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(
                loader.render_to_string(html_email_template_name, context), "text/html"
            )
    message.send()
    return True
