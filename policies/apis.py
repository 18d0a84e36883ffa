from rest_framework import viewsets


class PolicyViewSet(viewsets.GenericViewSet):
    pass


class DeclarationViewSet(viewsets.GenericViewSet):
    pass


class DocumentViewSet(viewsets.GenericViewSet):
    pass
