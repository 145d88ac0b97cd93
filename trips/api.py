"""POST /api/trips/check: the rule checks of a trip described in JSON, saving nothing.

Anyone may call it (a unit can try a plan before filing). A member's `person` id is used for the
frequency history only when the requesting user may see that person (accounts.access.restrict_people:
a unit's clerk only its own unit's people);
otherwise it is ignored and that member's history is not checked."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import restrict_people
from accounts.models import Person
from accounts.tokens import HasScope
from geo.models import Country, Division

from . import rules
from .models import Member, Purpose, Trip, TripKind

ISSUER_KINDS = Trip._meta.get_field("invitation_issuer_kind").choices


class TripCheckMemberSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    rank = serializers.ChoiceField(choices=Person.Rank.choices, default=Person.Rank.OTHER)
    group_role = serializers.ChoiceField(choices=Member.GroupRole.choices, default=Member.GroupRole.MEMBER)
    is_leader = serializers.BooleanField(default=False, help_text="a leader of the unit (班子成员)")
    teaching_research = serializers.BooleanField(default=False)
    person = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1,
                                      help_text="accounts.Person id; used for the trip history if you may see it")
    unit = serializers.IntegerField(required=False, allow_null=True,
                                    help_text="accounts.Unit id, to tell leaders of different units apart")


class TripCheckStopSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2; HK and MO for Hong Kong and Macao")
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    transit = serializers.BooleanField(default=False)
    arrives_on = serializers.DateField(required=False, allow_null=True, default=None)
    leaves_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_country(self, value):
        code = value.strip().upper()
        if code in rules.SAR_CODES or Country.objects.filter(iso2=code).exists():
            return code
        raise serializers.ValidationError(_("Unknown country or region code “%(code)s”.") % {"code": value})


class TripCheckRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TripKind.choices)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    departs_on = serializers.DateField()
    returns_on = serializers.DateField()
    jurisdiction = serializers.CharField(max_length=6, required=False,
                                         help_text="GB/T 2260 code of the unit's jurisdiction; the home province if omitted")
    filed_on = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="the day of filing; today if omitted")
    invitation_issuer = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    invitation_issuer_kind = serializers.ChoiceField(choices=ISSUER_KINDS, required=False, allow_blank=True,
                                                     default="")
    planned = serializers.BooleanField(required=False, allow_null=True, default=None,
                                       help_text="in the unit's annual plan; not checked if omitted")
    members = TripCheckMemberSerializer(many=True, allow_empty=False)
    stops = TripCheckStopSerializer(many=True, required=False, default=list)

    def validate_jurisdiction(self, value):
        if not Division.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("Unknown division code “%(code)s”.") % {"code": value})
        return value

    def validate(self, data):
        if data["returns_on"] < data["departs_on"]:
            raise serializers.ValidationError({"returns_on": _("The return date is before the departure date.")})
        # The form's own test of the itinerary, so that the API accepts nothing the form refuses.
        errors = rules.itinerary_errors(data["kind"], [s["country"] for s in data.get("stops", [])])
        if errors:
            raise serializers.ValidationError({"stops": errors})
        return data


class TripCheckResultSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="the check's code")
    name = serializers.CharField(help_text="the rule's name in the user's language")
    severity = serializers.ChoiceField(choices=["block", "reason", "warn"])
    ok = serializers.BooleanField()
    message = serializers.CharField(help_text="what fails, with the figure and the limit; empty when ok")
    source = serializers.CharField(help_text="the document and article")


class TripCheckResponseSerializer(serializers.Serializer):
    results = TripCheckResultSerializer(many=True)
    blocking = serializers.IntegerField(help_text="failed rules that would stop a submission "
                                                  "(block, and reason rules, since no reason is given here)")


def draft_from_data(data, user):
    """A TripDraft from validated input; person ids the user may not see are dropped."""
    ids = {m["person"] for m in data["members"] if m.get("person") is not None}
    visible = dict(restrict_people(Person.objects.filter(pk__in=ids), user).values_list("pk", "unit_id")) if ids else {}
    members = []
    for m in data["members"]:
        person_id = m.get("person") if m.get("person") in visible else None
        members.append(rules.MemberDraft(
            name=m["name"], rank=m["rank"], group_role=m["group_role"], is_leader=m["is_leader"],
            teaching_research=m["teaching_research"], person_id=person_id,
            unit_id=m.get("unit") or visible.get(person_id),
        ))
    stops = [rules.StopDraft(country=s["country"], city=s["city"], transit=s["transit"],
                             arrives_on=s["arrives_on"], leaves_on=s["leaves_on"]) for s in data["stops"]]
    return rules.TripDraft(
        kind=data["kind"], purpose=data["purpose"], departs_on=data["departs_on"], returns_on=data["returns_on"],
        members=members, stops=stops, jurisdiction=data.get("jurisdiction") or settings.WAISHI_HOME_CODE,
        invitation_issuer=data["invitation_issuer"], invitation_issuer_kind=data["invitation_issuer_kind"],
        planned=data["planned"], filed_on=data["filed_on"],
    )


class TripCheckView(APIView):
    """Check a trip against the rules in force for its jurisdiction on the day of filing; nothing is saved."""

    required_scope = "trips:check"

    permission_classes = [HasScope, AllowAny]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="trips_check",
        request=TripCheckRequestSerializer,
        responses={200: TripCheckResponseSerializer,
                   400: OpenApiResponse(description="field errors, by field name, in the user's language")},
        description="The rule checks of an official trip abroad or to Hong Kong/Macao (因公临时出国(境)), "
                    "one result per rule in force; saves nothing.",
    )
    def post(self, request):
        serializer = TripCheckRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = draft_from_data(serializer.validated_data, request.user)
        results = rules.evaluate(draft)
        return Response({
            "results": [r.as_dict() for r in results],
            "blocking": len(rules.blocking(results)),
        })
