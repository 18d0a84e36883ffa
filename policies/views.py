from django.views.generic import View

PolicyListView = PolicyCreateView = PolicyDetailView = PolicyTermsView = PolicyIssueView = View
PolicyCancelView = DeclarationCreateView = DeclarationListView = DocumentListView = View
DocumentDownloadView = CompanyListView = CompanyCreateView = View
