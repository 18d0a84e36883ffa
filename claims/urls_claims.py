"""The claim pages (see claims/urls.py). The insured reads its own company's claims and files
them; claims handlers and administrators read every claim and settle them. Each action on a
claim's page is a POST to /claims/<pk>/<action>/."""

from django.urls import path

from .views import actions, detail, filing, listing

urlpatterns = [
    # The insured's claims, the claims handler's queue
    path("", listing.ClaimListView.as_view(), name="claim-list"),
    # The insured files a claim, seeing beforehand what it would pay
    path("new/", filing.ClaimFileView.as_view(), name="claim-file"),
    path("preview/", filing.ClaimPreviewView.as_view(), name="claim-preview"),
    # One claim (scoped: an insured its company's) and its documents
    path("<int:pk>/", detail.ClaimDetailView.as_view(), name="claim-detail"),
    # (".../download/": a link that answers with a file, which browser tests skip)
    path(
        "<int:pk>/documents/<int:doc_pk>/download/",
        detail.ClaimDocumentDownloadView.as_view(),
        name="claim-document-download",
    ),
    # Actions of the insured (documents also a claims handler)
    path("<int:pk>/documents/", actions.ClaimDocumentAddView.as_view(), name="claim-document-add"),
    path(
        "<int:pk>/documents-sent/",
        actions.ClaimDocumentsSentView.as_view(),
        name="claim-documents-sent",
    ),
    path("<int:pk>/withdraw/", actions.ClaimWithdrawView.as_view(), name="claim-withdraw"),
    # Actions of claims handlers and administrators
    path("<int:pk>/assess/", actions.ClaimAssessView.as_view(), name="claim-assess"),
    path(
        "<int:pk>/ask-documents/",
        actions.ClaimAskDocumentsView.as_view(),
        name="claim-documents-ask",
    ),
    path("<int:pk>/decide/", actions.ClaimDecideView.as_view(), name="claim-decide"),
    path(
        "<int:pk>/second-approval/",
        actions.ClaimSecondApprovalView.as_view(),
        name="claim-second-approval",
    ),
    path("<int:pk>/pay/", actions.ClaimPayView.as_view(), name="claim-pay"),
    path("<int:pk>/recovery/", actions.ClaimRecoveryView.as_view(), name="claim-recovery"),
]
