"""The serialization format of backups: Django's JSON lines, with times kept to the
microsecond.

Django's encoder cuts datetimes and times to milliseconds (``12:00:00.123456`` is written
``12:00:00.123``), so a restore from plain ``jsonl`` would not give back the stored
values. Registered as ``kttt_jsonl`` by :mod:`portal.backups`.
"""

import datetime

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.timezone import is_aware


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            if is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder


Deserializer = jsonl.Deserializer
