from django.views.generic import View

HomeView = LoginView = ApiTokenView = View
