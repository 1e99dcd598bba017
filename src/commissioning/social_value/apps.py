from django.apps import AppConfig


class SocialValueConfig(AppConfig):
    name = "commissioning.social_value"
    label = "social_value"
    verbose_name = "Social value promised and delivered"

    def ready(self) -> None:
        # Evaluators of a later tender see the bidder's record against its commitments; evaluation
        # sits below social_value in the layers, so social_value hands it the source (EVA-3).
        from commissioning.evaluation import social_value_history
        from commissioning.social_value.services import past_commitments

        social_value_history.register(past_commitments)
